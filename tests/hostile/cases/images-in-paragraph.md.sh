# 101 images in one paragraph: one more than markdown.max_images.
printf -- '---\ntitle: Images\ndate: 2024-01-01\n---\n'
i=0
while [ $i -lt 101 ]; do printf '![i](i.png)\n'; i=$((i + 1)); done
