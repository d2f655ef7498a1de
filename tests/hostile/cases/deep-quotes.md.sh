# 100,000 nested block quotes on one line.
printf -- '---\ntitle: Deep quotes\ndate: 2024-01-01\n---\n'
head -c 100000 /dev/zero | tr '\0' '>'
printf ' deep\n'
