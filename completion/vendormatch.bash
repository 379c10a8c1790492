# bash completion for vendormatch(1): commands, subcommands, options, option
# values, and names only the catalog knows (shortlists, sources), which it
# asks of the binary itself (`vendormatch __complete KIND`: quick, silent,
# never starts the embedded database). Self-contained: works with or without
# the bash-completion package. Installed by `cmake --install`; to try it from
# a clone: source completion/vendormatch.bash
#
# A new kind of name is one line: a case in _vendormatch_positional calling
# `_vendormatch_names KIND` (as `sources show NAME` does).

# _vendormatch_names KIND: completes $cur from the catalog's names of KIND.
_vendormatch_names() {
    local IFS=$'\n' name
    local -a names
    names=($("${COMP_WORDS[0]}" "${_vm_global[@]}" __complete "$1" 2>/dev/null </dev/null))
    for name in "${names[@]}"; do
        [[ $name == "$cur"* ]] && COMPREPLY+=("$(printf '%q' "$name")")
    done
}

_vendormatch_words() { # WORDS...: completes $cur from a word list
    local IFS=$' \t\n'
    COMPREPLY+=($(compgen -W "$*" -- "$cur"))
}

_vendormatch_files() {
    local IFS=$'\n'
    compopt -o filenames 2>/dev/null
    COMPREPLY+=($(compgen -f -- "$cur"))
}

# The options of a command (and subcommand), as its --help lists them.
_vendormatch_options() {
    case "$1 $2" in
        "db "*) echo "--help" ;;
        "migrate "*) echo "--status --format --help" ;;
        "import "*) echo "--source --delimiter --map --encoding --sheet --currency --on-error --rejects --format --no-classify --remap --full --dry-run --help" ;;
        "vendors list") echo "--type --service --country --industry --cert --language --source --conflicts --limit --format --help" ;;
        "vendors search") echo "--limit --format --help" ;;
        "vendors show") echo "--format --help" ;;
        "vendors "*) echo "--help" ;;
        "classify "*) echo "--vendor --explain --format --help" ;;
        "tag set") echo "--reason --help" ;;
        "tag "*) echo "--help" ;;
        "taxonomy list") echo "--format --help" ;;
        "taxonomy unknown") echo "--limit --format --help" ;;
        "taxonomy "*) echo "--help" ;;
        "fx list") echo "--format --help" ;;
        "fx set" | "fx import") echo "--date --help" ;;
        "fx "*) echo "--help" ;;
        "match "*) echo "--service --type --industry --country --exclude-country --language --cert
                         --min-employees --max-rate --min-rate --min-rating --sensitivity --delivery --weight
                         --strict --require-known --needs --top --explain --save --replace --format --help" ;;
        "shortlists show") echo "--explain --format --help" ;;
        "sources list" | "sources show") echo "--format --help" ;;
        "sources "*) echo "--help" ;;
        "shortlists "*) echo "--help" ;;
        "report "*) echo "--format --output -o --help" ;;
        "stats "*) echo "--top --format --help" ;;
        "help "*) echo "--help" ;;
    esac
}

_vendormatch_subcommands() {
    case $1 in
        db) echo "start stop status url which" ;;
        vendors) echo "list search show" ;;
        tag) echo "set clear" ;;
        taxonomy) echo "list add import unknown" ;;
        fx) echo "list set import" ;;
        shortlists) echo "list show delete" ;;
        sources) echo "list show drop priority" ;;
    esac
}

# Completes the value of option $prev of command $1 (subcommand $2);
# returns 1 when $prev takes no value.
_vendormatch_value() {
    case $prev in
        --format)
            case "$1 $2" in
                "import "*) _vendormatch_words table json ;;
                "report "*) _vendormatch_words html md csv json ;;
                "stats "*) _vendormatch_words table csv json html ;;
                *) _vendormatch_words table csv json ;;
            esac ;;
        --type)
            if [[ $1 == match ]]; then _vendormatch_words BPO KPO any auto
            else _vendormatch_words BPO KPO HYBRID UNCLASSIFIED; fi ;;
        --on-error) _vendormatch_words abort skip ;;
        --encoding) _vendormatch_words LATIN1 WINDOWS-1252 UTF-16LE UTF-16BE UTF-16 ;;
        --delimiter) _vendormatch_words , ";" "|" tab ;;
        --sensitivity) _vendormatch_words low medium high ;;
        --require-known) _vendormatch_words language cert country employees rate rating delivery ;;
        --weight)
            compopt -o nospace 2>/dev/null
            _vendormatch_words service_coverage= industry= rating= price= capacity= languages= confidence= ;;
        --source) _vendormatch_names sources ;;
        --save) _vendormatch_names shortlists ;;
        --rejects | --needs | --output | -o) _vendormatch_files ;;
        *) _vendormatch_takes_value "$prev" || return 1 ;; # free text: nothing to offer
    esac
    return 0
}

# Completes the next positional word of command $1 (subcommand $2; $3 = how
# many positional words came after the subcommand).
_vendormatch_positional() {
    local subs
    subs=$(_vendormatch_subcommands "$1")
    if [[ -n $subs && -z $2 ]]; then
        _vendormatch_words $subs
        return
    fi
    case "$1 $2" in
        "import "*) _vendormatch_files ;;
        "taxonomy import" | "fx import") _vendormatch_files ;;
        "shortlists show" | "shortlists delete") (($3 == 0)) && _vendormatch_names shortlists ;;
        "report "*) (($3 == 0)) && _vendormatch_names shortlists ;;
        "sources show" | "sources drop" | "sources priority") (($3 == 0)) && _vendormatch_names sources ;;
        "tag set") (($3 == 1)) && _vendormatch_words BPO KPO HYBRID UNCLASSIFIED ;;
        "help "*) (($3 == 0)) && _vendormatch_words $("${COMP_WORDS[0]}" __complete commands 2>/dev/null) ;;
    esac
}

_vendormatch() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local cmd="" sub="" npos=0 i w
    local -a _vm_global=()
    COMPREPLY=()
    # Global options come before the command; the connection's are kept so
    # that names are asked of the same database and schema.
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if [[ -z $cmd ]]; then
            case $w in
                --db | --schema | --connect-timeout) _vm_global+=("$w" "${COMP_WORDS[i + 1]}"); ((i++)) ;;
                --db=* | --schema=* | --connect-timeout=*) _vm_global+=("$w") ;;
                -*) ;;
                *) cmd=$w ;;
            esac
        elif [[ $w == -* ]]; then
            :
        elif _vendormatch_takes_value "${COMP_WORDS[i - 1]}"; then
            :
        elif [[ -z $sub && -n $(_vendormatch_subcommands "$cmd") ]]; then
            sub=$w
        else
            ((npos++))
        fi
    done
    if [[ -z $cmd ]]; then
        case $prev in
            --db | --schema | --connect-timeout) return ;;
        esac
        if [[ $cur == -* ]]; then
            _vendormatch_words --db --schema --connect-timeout --no-pager --quiet --verbose --help --version
        else
            _vendormatch_words $("${COMP_WORDS[0]}" __complete commands 2>/dev/null)
        fi
        return
    fi
    _vendormatch_value "$cmd" "$sub" && return
    if [[ $cur == -* ]]; then
        _vendormatch_words $(_vendormatch_options "$cmd" "$sub")
    else
        _vendormatch_positional "$cmd" "$sub" "$npos"
    fi
}

# True when option $1 takes a value (the next word is that value).
_vendormatch_takes_value() {
    case $1 in
        --format | --type | --on-error | --delimiter | --sensitivity | --weight | --source | \
            --save | --rejects | --needs | --output | -o | --db | --map | --sheet | --service | --country | \
            --exclude-country | --industry | --cert | --language | --limit | --top | --vendor | \
            --reason | --min-employees | --max-rate | --min-rate | --min-rating | --delivery | --encoding | --currency | --require-known | \
            --schema | --connect-timeout | --date) return 0 ;;
    esac
    return 1
}

complete -F _vendormatch vendormatch
