# 10,000 '*' in a paragraph: not an error.
printf -- '---\ntitle: Stars\ndate: 2024-01-01\n---\n'
head -c 10000 /dev/zero | tr '\0' '*'
printf '\n'
