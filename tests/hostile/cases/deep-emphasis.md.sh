# 300 '*' around a word: emphasis nested 150 deep.
printf -- '---\ntitle: Deep emphasis\ndate: 2024-01-01\n---\nSee '
head -c 300 /dev/zero | tr '\0' '*'
printf 'word'
head -c 300 /dev/zero | tr '\0' '*'
printf '\n'
