# A front matter of 1 MiB and more (never closed: the reader stops at the
# limit, not at the end of the file).
printf -- '---\ntitle: Huge front matter\ndate: 2024-01-01\n'
i=0
while [ $i -lt 70000 ]; do
    printf 'key%06d: value\n' $i
    i=$((i + 1))
done
