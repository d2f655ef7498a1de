# Block quotes nested 1,000 deep: within jansson's depth limit, so the
# reader builds them; the xml writer refuses what XML parsers would not
# read back (more than 200 levels).
printf '{"title": "T", "date": "2024-01-01", "body": ['
i=0
while [ $i -lt 1000 ]; do printf '{"type": "block_quote", "children": ['; i=$((i + 1)); done
i=0
while [ $i -lt 1000 ]; do printf ']}'; i=$((i + 1)); done
printf ']}'
