# "![[]()" repeated: cmark 0.30.2 is quadratic on it; refused first.
printf -- '---\ntitle: Image brackets\ndate: 2024-01-01\n---\n'
i=0
while [ $i -lt 20000 ]; do printf '![[]()'; i=$((i + 1)); done
printf '\n'
