#!/usr/bin/env bash
# Rebuilds the committed seed corpus of the fuzz targets, fuzz/seeds/<target>/, from
# the repository: every sample and fixture YAML file (event), the date and time strings
# of src/date.rs's unit tests (date), and Markdown from the unit tests, the injection
# fixture and the sample events (markdown). File names are content hashes, as
# libFuzzer names its own, so running it twice changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=fuzz/seeds
rm -rf "$seeds"
mkdir -p "$seeds/event" "$seeds/date" "$seeds/markdown"

put() { # put TARGET < content
  local tmp
  tmp=$(mktemp)
  cat >"$tmp"
  mv "$tmp" "$seeds/$1/$(sha1sum <"$tmp" | cut -c1-40)"
}

find events tests/fixtures -name '*.yaml' -print0 | sort -z | while IFS= read -r -d '' f; do
  put event <"$f"
  put markdown <"$f"
done

# String literals of the date tests that look like dates or times: a digit or a
# keyword, short enough to be a value.
sed -n '/^mod tests/,$p' src/date.rs | grep -o '"[^"\\]*"' | tr -d '"' | sort -u |
  grep -E '[0-9]|noon|midi|morning|evening|night|matin|soir|afternoon' |
  awk 'length($0) <= 40' | while IFS= read -r s; do
  printf '%s' "$s" | put date
done

md() { printf '%s' "$1" | put markdown; }
md 'Hello <script>alert(1)</script> **bold**'
md '<div onclick="x()">hi</div>'
md '[click](javascript:alert(1)) and ![img](javascript:alert(1))'
md '[a](JaVaScRiPt:alert(1)) [b](java	script:x) [c](data:text/html,x) [d](vbscript:x)'
md '[e](&#106;avascript:alert(1)) [f](javascript&colon;x) [g]( javascript:x )'
md '[a](https://example.org) [b](mailto:x@example.org) [c](../events/x/)'
md 'x ![alt text](javascript:alert(1)) y'
md '[![i](javascript:x)](https://example.org)'
md '![a [b](https://x.org) *c*](javascript:x)'
md '[ref][1] and [other][x]

[1]: javascript:alert(1)
[x]: https://example.org "title"'
md '<https://example.org> <javascript:alert(1)> <mailto:a@b.c>'
md 'A

B'
md '- un
- *deux*
  1. trois
     > quatre'
md '# Titre

> cité

```
code <b>
```

| a | b |
|:--|--:|
| *x* | [y](z) |'
md 'Un **texte** en *deux* ~~paragraphes~~ `code`
line  
break[^1]

[^1]: Note **forte** [lien](https://x.org).'
md '***strong emph*** **_mixed_** *__more__* _a_b_ **a*b**c*'
md '"><script>alert(1)</script>'
md '</script><img src=x onerror=alert(1)>'
md '=HYPERLINK("http://evil")'
echo "seeds: $(ls "$seeds/event" | wc -l) event, $(ls "$seeds/date" | wc -l) date, $(ls "$seeds/markdown" | wc -l) markdown"
