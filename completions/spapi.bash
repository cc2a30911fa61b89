# bash completion for spapi
# generated from src/cli/completion/scripts.ts (`spapi completion <shell>`) — do not edit
# Install: spapi completion bash > ~/.local/share/bash-completion/completions/spapi
#      or: source <(spapi completion bash) in ~/.bashrc
# Candidates come from `spapi __complete -- <words>`; SPAPI_BIN names another spapi executable.
_spapi_complete() {
  local line words=() cur=${COMP_WORDS[COMP_CWORD]} candidate
  if [[ -n ${COMP_LINE-} ]]; then
    # COMP_WORDS is cut at COMP_WORDBREAKS (= and :); spapi wants the words as typed, cut at blanks.
    line=${COMP_LINE:0:COMP_POINT}
    read -r -a words <<< "$line"
    [[ -z $line || $line == *[[:blank:]] ]] && words+=("")
  else
    words=("${COMP_WORDS[@]:0:COMP_CWORD+1}")
  fi
  # Readline replaces only the text after the last = or :, so drop what precedes it.
  [[ $cur == [=:] ]] && cur=
  local word=${words[${#words[@]}-1]}
  local strip=$(( ${#word} > ${#cur} ? ${#word} - ${#cur} : 0 ))
  COMPREPLY=()
  while IFS= read -r candidate; do
    COMPREPLY+=("${candidate:strip}")
  done < <("${SPAPI_BIN:-spapi}" __complete -- "${words[@]:1}" 2>/dev/null)
  # `-p FulfillmentChannels=` waits for its value: no space after a candidate ending in =.
  for candidate in "${COMPREPLY[@]}"; do
    if [[ $candidate == *= ]]; then
      compopt -o nospace 2>/dev/null
      break
    fi
  done
}
complete -o default -F _spapi_complete spapi
