# Flow sequences nested 200 deep in the front matter.
printf -- '---\ntitle: Deep YAML\ndate: 2024-01-01\nnest: '
head -c 200 /dev/zero | tr '\0' '['
head -c 200 /dev/zero | tr '\0' ']'
printf -- '\n---\nBody.\n'
