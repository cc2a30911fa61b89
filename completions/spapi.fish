# fish completion for spapi
# generated from src/cli/completion/scripts.ts (`spapi completion <shell>`) — do not edit
# Install: spapi completion fish > ~/.config/fish/completions/spapi.fish
# Candidates come from `spapi __complete -- <words>`; SPAPI_BIN names another spapi executable.
# fish adds no space after a candidate ending in = by itself, so `-p Name=` waits for its value.
function __spapi_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -l bin spapi
    set -q SPAPI_BIN; and set bin $SPAPI_BIN
    # Quoted, an empty current token still counts as a word.
    set -l current (commandline -ct)
    set -l candidates ($bin __complete -- $words "$current" 2>/dev/null)
    # Nothing to offer (a file argument, say): paths, as bash's -o default and zsh's _files do.
    if set -q candidates[1]
        printf '%s\n' $candidates
    else
        __fish_complete_path "$current"
    end
end
complete -c spapi -f -a '(__spapi_complete)'
