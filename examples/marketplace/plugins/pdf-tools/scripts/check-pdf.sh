#!/bin/sh
# Run after every Write: the hook passes the tool call as JSON on standard input. A .pdf file the
# agent wrote must start like one.
file=$(jq -r '.tool_input.file_path // empty')
case "$file" in
  *.pdf) head -c 5 "$file" | grep -q '^%PDF-' || { echo "$file is not a PDF" >&2; exit 2; } ;;
esac
