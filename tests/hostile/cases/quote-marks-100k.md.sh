# 100,000 quotation marks, curly and straight: the analysis stays linear.
printf -- '---\ntitle: Quote marks\ndate: 2024-01-01\nministers: [Hon Jane Doe]\n---\n'
i=0
while [ $i -lt 25000 ]; do printf '\342\200\234"\342\200\235" '; i=$((i + 1)); done
printf '\n'
