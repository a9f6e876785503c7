# Flattens the block-style YAML dcommc writes into one line per scalar:
#   listeners[].port=8008
#   listeners[].bind_addresses[]=127.0.0.1
#   database.args.passfile=/run/secrets/pgpass
# Enough for the stand-ins to read the settings the real program would read
# (busybox has no YAML parser). Flow style ({...}, [...]) and multi-line
# scalars are not read; the stand-ins only look at plain keys.

function unquote(s) {
  sub(/^[ \t]+/, "", s)
  sub(/[ \t]+$/, "", s)
  if (s ~ /^".*"$/ || s ~ /^'.*'$/) s = substr(s, 2, length(s) - 2)
  return s
}

function path(    i, p) {
  p = ""
  for (i = 1; i <= n; i++) {
    if (name[i] == "[]") p = p "[]"
    else p = (p == "" ? name[i] : p "." name[i])
  }
  return p
}

function pop_to(indent) {
  while (n > 0 && depth[n] >= indent) n--
}

# One "key: value" or "key:" at the given indentation.
function entry(s, indent,    key, value, colon) {
  if (match(s, /^"[^"]*":/) || match(s, /^'[^']*':/) || match(s, /^[^ :"'][^:]*:( |$)/)) {
    colon = RLENGTH
    key = substr(s, 1, colon)
    sub(/:[ ]?$/, "", key)
    key = unquote(key)
    value = unquote(substr(s, colon + 1))
    pop_to(indent)
    if (value == "") {
      n++; depth[n] = indent; name[n] = key
    } else {
      print (path() == "" ? key : path() "." key) "=" value
    }
    return 1
  }
  return 0
}

BEGIN { n = 0 }

/^[ \t]*(#.*)?$/ { next }
/^---/ { next }

{
  line = $0
  match(line, /^ */)
  indent = RLENGTH
  s = substr(line, indent + 1)
  if (s ~ /^- / || s == "-") {
    pop_to(indent)
    rest = substr(s, 3)
    n++; depth[n] = indent; name[n] = "[]"
    if (!entry(rest, indent + 2) && rest != "") print path() "=" unquote(rest)
    next
  }
  entry(s, indent)
}
