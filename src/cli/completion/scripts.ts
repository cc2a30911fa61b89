/**
 * The bash, zsh and fish scripts, in one place: `spapi completion <shell>` prints them and
 * scripts/gen-completions.mjs writes them into completions/ from the built module (a test fails
 * when the committed files differ). They only pass the words of the command line to
 * `spapi __complete --` and show what it prints: every candidate comes from candidates.ts, where
 * it is unit-tested, so these texts change only when the calling convention does.
 */

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** The file each script is installed as (the name each shell's loader looks for). */
export const SCRIPT_FILES: Readonly<Record<Shell, string>> = { bash: 'spapi.bash', zsh: '_spapi', fish: 'spapi.fish' };

export const GENERATED_MARK = 'generated from src/cli/completion/scripts.ts (`spapi completion <shell>`) — do not edit';

const bash = `# bash completion for spapi
# ${GENERATED_MARK}
# Install: spapi completion bash > ~/.local/share/bash-completion/completions/spapi
#      or: source <(spapi completion bash) in ~/.bashrc
# Candidates come from \`spapi __complete -- <words>\`; SPAPI_BIN names another spapi executable.
_spapi_complete() {
  local line words=() cur=\${COMP_WORDS[COMP_CWORD]} candidate
  if [[ -n \${COMP_LINE-} ]]; then
    # COMP_WORDS is cut at COMP_WORDBREAKS (= and :); spapi wants the words as typed, cut at blanks.
    line=\${COMP_LINE:0:COMP_POINT}
    read -r -a words <<< "$line"
    [[ -z $line || $line == *[[:blank:]] ]] && words+=("")
  else
    words=("\${COMP_WORDS[@]:0:COMP_CWORD+1}")
  fi
  # Readline replaces only the text after the last = or :, so drop what precedes it.
  [[ $cur == [=:] ]] && cur=
  local word=\${words[\${#words[@]}-1]}
  local strip=$(( \${#word} > \${#cur} ? \${#word} - \${#cur} : 0 ))
  COMPREPLY=()
  while IFS= read -r candidate; do
    COMPREPLY+=("\${candidate:strip}")
  done < <("\${SPAPI_BIN:-spapi}" __complete -- "\${words[@]:1}" 2>/dev/null)
  # \`-p FulfillmentChannels=\` waits for its value: no space after a candidate ending in =.
  for candidate in "\${COMPREPLY[@]}"; do
    if [[ $candidate == *= ]]; then
      compopt -o nospace 2>/dev/null
      break
    fi
  done
}
complete -o default -F _spapi_complete spapi
`;

const zsh = `#compdef spapi
# zsh completion for spapi
# ${GENERATED_MARK}
# Install: spapi completion zsh > ~/.zfunc/_spapi, with fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc
# Candidates come from \`spapi __complete -- <words>\`; SPAPI_BIN names another spapi executable.
_spapi() {
  local -a candidates open
  candidates=(\${(f)"$(\${SPAPI_BIN:-spapi} __complete -- "\${(@)words[2,CURRENT-1]}" "$PREFIX" 2>/dev/null)"})
  if (( \${#candidates} )); then
    # \`-p FulfillmentChannels=\` waits for its value: no space after a candidate ending in =.
    open=(\${(M)candidates:#*=})
    candidates=(\${candidates:#*=})
    (( \${#open} )) && compadd -S '' -- "\${open[@]}"
    (( \${#candidates} )) && compadd -- "\${candidates[@]}"
    return 0
  else
    _files
  fi
}
if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  _spapi "$@"
else
  compdef _spapi spapi
fi
`;

const fish = `# fish completion for spapi
# ${GENERATED_MARK}
# Install: spapi completion fish > ~/.config/fish/completions/spapi.fish
# Candidates come from \`spapi __complete -- <words>\`; SPAPI_BIN names another spapi executable.
# fish adds no space after a candidate ending in = by itself, so \`-p Name=\` waits for its value.
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
        printf '%s\\n' $candidates
    else
        __fish_complete_path "$current"
    end
end
complete -c spapi -f -a '(__spapi_complete)'
`;

const SCRIPTS: Readonly<Record<Shell, string>> = { bash, zsh, fish };

export function isShell(name: string): name is Shell {
  return (SHELLS as readonly string[]).includes(name);
}

/** The completion script for `shell`, exactly as completions/ holds it. */
export function completionScript(shell: Shell): string {
  return SCRIPTS[shell];
}
