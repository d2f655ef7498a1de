# One body line of 8 MiB: no line-length limit is needed.
printf -- '---\ntitle: A long line\ndate: 2024-01-01\n---\n'
head -c 8388608 /dev/zero | tr '\0' 'a'
printf '\n'
