# Arrays nested 100,000 deep: jansson stops at its depth limit.
printf '{"title": "T", "date": "2024-01-01", "x": '
head -c 100000 /dev/zero | tr '\0' '['
