# One byte over the default input limit of 64 MiB.
printf -- '---\ntitle: Too big\ndate: 2024-01-01\n---\n'
head -c 67108864 /dev/zero | tr '\0' 'a'
