#!/usr/bin/env bash
# Print the path of a working Python 3.10 interpreter, or explain what to install.
# Rasa 3.6 supports Python 3.8-3.10; BackChat is tested on 3.10.
set -u
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")
for root in "${PYENV_ROOT:-}" "$HOME/.pyenv"; do
  [ -n "$root" ] || continue
  for bin in "$root"/versions/3.10*/bin/python3.10; do [ -x "$bin" ] && candidates+=("$bin"); done
done
candidates+=(/usr/bin/python3.10 /usr/local/bin/python3.10)
for python in "${candidates[@]}"; do
  # A pyenv shim exists even when 3.10 is not selected, so run it to be sure.
  if [ -x "$python" ] && "$python" -c 'import sys, venv; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
    echo "$python"
    exit 0
  fi
done
echo "BackChat needs Python 3.10 (Rasa 3.6 runs on 3.8-3.10) and found none." >&2
echo "Install it, e.g. 'pyenv install 3.10.13' or 'apt-get install python3.10 python3.10-venv'," >&2
echo "or point PYTHON=/path/to/python3.10 at one." >&2
exit 1
