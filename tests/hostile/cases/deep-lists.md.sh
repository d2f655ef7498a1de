# 10,000 nested list markers on one line.
printf -- '---\ntitle: Deep lists\ndate: 2024-01-01\n---\n'
i=0
while [ $i -lt 10000 ]; do printf -- '- '; i=$((i + 1)); done
printf 'deep\n'
