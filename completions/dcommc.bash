# bash completion for dcommc(1)                            -*- shell-script -*-
#
# Installed as share/bash-completion/completions/dcommc; to try it from a
# checkout: source completions/dcommc.bash
#
# Completes subcommands, the options of each, their values (formats, colour
# modes, TLS modes, services), .dcomm files and folders, and the codes of
# `dcommc explain`, which are read from `dcommc explain` itself so they are
# never out of date. Needs nothing from the bash-completion package.

_dcommc_commands="build check fmt plan graph images secrets verify init explain lsp"
_dcommc_secrets_actions="list verify rotate seal unseal"

# The options of one subcommand ("" is the top level).
_dcommc_options() {
  case $1 in
    build) echo "-o --out --rotate-secrets --full --prune --prune-secrets --allow -v --verbose -q --quiet --format --stdlib --allow-import-outside --max-image-age --color -h --help" ;;
    check) echo "--format --werror -q --quiet --stdlib --allow-import-outside --max-image-age --color -h --help" ;;
    fmt) echo "--check --diff --color -h --help" ;;
    plan) echo "-o --out --rotate-secrets --full --prune --prune-secrets --allow -q --quiet --stdlib --allow-import-outside --max-image-age --color -h --help" ;;
    graph) echo "--format --stdlib --allow-import-outside --max-image-age --color -h --help" ;;
    images) echo "--format --bundle --stdlib --allow-import-outside --max-image-age --color -h --help" ;;
    init) echo "--name --domain --onion --tls --email --services -o --out --force -h --help" ;;
    explain) echo "-h --help" ;;
    lsp) echo "--stdio --stdlib -h --help" ;;
    secrets) echo "-h --help" ;;
    verify) echo "--site --cacert --resolve --tor-socks --timeout --format -q --quiet --stdlib --allow-import-outside --max-image-age --color -h --help" ;;
    "secrets list") echo "-o --out --format -h --help" ;;
    "secrets verify") echo "-o --out -h --help" ;;
    "secrets rotate") echo "-o --out --allow --stdlib --allow-import-outside --max-image-age --color -h --help" ;;
    "secrets seal") echo "-o --out -r --recipient -R --recipients-file --bundle -h --help" ;;
    "secrets unseal") echo "-o --out -i --identity --bundle -h --help" ;;
    *) echo "-h --help --version" ;;
  esac
}

# The diagnostic codes, from the `dcommc explain` listing ("  E0202  error  ...").
_dcommc_codes() {
  local dcommc=$1
  "$dcommc" explain 2>/dev/null | awk '$1 ~ /^[EW][0-9]+$/ { print $1 }'
}

# .dcomm files and folders (to descend into) matching $1.
_dcommc_spec_files() {
  local IFS=$'\n'
  compopt -o filenames 2>/dev/null
  COMPREPLY+=($(compgen -d -- "$1") $(compgen -f -X '!*.dcomm' -- "$1"))
}

_dcommc() {
  COMPREPLY=()
  local cur=${COMP_WORDS[COMP_CWORD]}
  local prev=""
  ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
  local dcommc=${COMP_WORDS[0]}
  # `~/bin/dcommc` arrives unexpanded; the one on PATH is the fallback.
  [[ $dcommc == "~/"* ]] && dcommc=$HOME/${dcommc#"~/"}
  [[ -x $dcommc || $(type -t "$dcommc") == file ]] || dcommc=dcommc

  # The subcommand: the first word that is not an option. A spec file there
  # means the default command, build.
  local command="" i word
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    [[ $word == -* ]] && continue
    case " $_dcommc_commands " in
      *" $word "*) command=$word ;;
      *) command=build ;;
    esac
    break
  done
  # `secrets` takes an action next: "secrets seal" has options of its own.
  if [[ $command == secrets ]]; then
    for ((i++; i < COMP_CWORD; i++)); do
      word=${COMP_WORDS[i]}
      [[ " $_dcommc_secrets_actions " == *" $word "* ]] && { command="secrets $word"; break; }
    done
  fi

  # The value of an option.
  case $prev in
    --format)
      if [[ $command == graph ]]; then
        COMPREPLY=($(compgen -W "dot svg" -- "$cur"))
      elif [[ $command == images || $command == "secrets list" || $command == verify ]]; then
        COMPREPLY=($(compgen -W "text json" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "human json sarif github" -- "$cur"))
      fi
      return 0 ;;
    --color)
      COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
      return 0 ;;
    --tls)
      COMPREPLY=($(compgen -W "acme internal off" -- "$cur"))
      return 0 ;;
    --services)
      # A comma-separated list: complete the last item, keep the others.
      local done_part="" item=$cur
      if [[ $cur == *,* ]]; then
        done_part=${cur%,*},
        item=${cur##*,}
      fi
      local service
      for service in matrix mail bridge bots web; do
        [[ ,$done_part == *",$service,"* ]] && continue
        [[ $service == "$item"* ]] && COMPREPLY+=("$done_part$service")
      done
      compopt -o nospace 2>/dev/null
      return 0 ;;
    --stdlib | --bundle)
      local IFS=$'\n'
      compopt -o filenames 2>/dev/null
      if [[ $command == secrets* ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))   # the sealed bundle, a file
      else
        COMPREPLY=($(compgen -d -- "$cur"))
      fi
      return 0 ;;
    -i | --identity | -R | --recipients-file | --cacert)
      local IFS=$'\n'
      compopt -o filenames 2>/dev/null
      COMPREPLY=($(compgen -f -- "$cur"))
      return 0 ;;
    -o | --out)
      local IFS=$'\n'
      compopt -o filenames 2>/dev/null
      if [[ $command == init ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
      else
        COMPREPLY=($(compgen -d -- "$cur"))
      fi
      return 0 ;;
    --name | --domain | --onion | --email | --rotate-secrets | -r | --recipient | --site | --resolve | --tor-socks | --timeout)
      return 0 ;;   # free text
    --allow)
      COMPREPLY=($(compgen -W "E0601 E0602 E0603 E0604 E0605 E0606" -- "${cur^^}"))
      return 0 ;;
  esac

  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_dcommc_options "$command")" -- "$cur"))
    return 0
  fi

  case $command in
    "")
      COMPREPLY=($(compgen -W "$_dcommc_commands" -- "$cur"))
      _dcommc_spec_files "$cur"   # `dcommc SPEC -o OUT` builds
      ;;
    explain)
      COMPREPLY=($(compgen -W "$(_dcommc_codes "$dcommc")" -- "${cur^^}"))
      ;;
    init | lsp | "secrets "[lvsu]*) ;;
    secrets) COMPREPLY=($(compgen -W "$_dcommc_secrets_actions" -- "$cur")) ;;
    "secrets rotate") _dcommc_spec_files "$cur" ;;
    *) _dcommc_spec_files "$cur" ;;
  esac
  return 0
}

complete -F _dcommc dcommc
