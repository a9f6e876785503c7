# Checks a dovecot SQL driver file (dovecot-sql.conf.ext), which doveconf
# does not read: `key = value` lines (a trailing \ continues one), keys
# that dovecot 2.3's SQL passdb/userdb knows, a known driver, and the
# queries each a single SELECT.   awk -f dovecot-sql.awk FILE
BEGIN {
  split("driver connect default_pass_scheme password_query user_query update_query iterate_query userdb_warning_disable", k, " ")
  for (i in k) known[k[i]] = 1
  split("mysql pgsql sqlite cassandra", d, " ")
  for (i in d) drivers[d[i]] = 1
}
function finish(   key, value) {
  if (entry == "") return
  if (entry !~ /^[A-Za-z_]+[ \t]*=/) { printf "%s:%d: not key = value: %s\n", FILENAME, start, entry; bad = 1; entry = ""; return }
  key = entry; sub(/[ \t]*=.*/, "", key)
  value = entry; sub(/^[^=]*=[ \t]*/, "", value)
  if (!(key in known)) { printf "%s:%d: unknown setting %s\n", FILENAME, start, key; bad = 1 }
  if (key in seen) { printf "%s:%d: %s set twice\n", FILENAME, start, key; bad = 1 }
  seen[key] = 1
  if (key == "driver" && !(value in drivers)) { printf "%s:%d: unknown driver %s\n", FILENAME, start, value; bad = 1 }
  if (key ~ /_query$/) {
    if (toupper(value) !~ /^SELECT[ \t]/) { printf "%s:%d: %s is not a SELECT\n", FILENAME, start, key; bad = 1 }
    q = value; gsub(/'[^']*'/, "", q)
    if (q ~ /'/) { printf "%s:%d: %s has an unclosed quote\n", FILENAME, start, key; bad = 1 }
    if (q ~ /;[ \t]*[^ \t]/) { printf "%s:%d: %s holds more than one statement\n", FILENAME, start, key; bad = 1 }
  }
  entry = ""
}
/^[ \t]*(#|$)/ && entry == "" { next }
{
  line = $0
  if (entry == "") { start = FNR; sub(/^[ \t]+/, "", line) }
  more = sub(/\\[ \t]*$/, "", line)
  entry = entry (entry == "" ? "" : " ") line
  if (!more) finish()
}
END {
  finish()
  if (!("driver" in seen)) { printf "%s: no driver\n", FILENAME; bad = 1 }
  if (!("connect" in seen)) { printf "%s: no connect\n", FILENAME; bad = 1 }
  if (!bad) printf "%s: %d settings, all known\n", FILENAME, length(seen)
  exit bad
}
