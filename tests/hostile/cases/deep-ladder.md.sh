# Lists nested by indentation, one level a line.
printf -- '---\ntitle: Deep ladder\ndate: 2024-01-01\n---\n'
i=0
while [ $i -lt 80 ]; do
    k=0
    while [ $k -lt $i ]; do printf '  '; k=$((k + 1)); done
    printf -- '- item\n'
    i=$((i + 1))
done
