#!/bin/bash
# sdk.sh BUILD_DIR SOURCE_DIR CMAKE
# A third party's path, end to end: install presskit into a temporary
# prefix, build both example plugins (examples/plugin-csv, a writer, and
# examples/plugin-frontmatter-json, a reader) against that installation,
# once with CMake (find_package + presskit_add_plugin) and once with make
# (pkg-config), run them through the installed presskit and check what
# they write.  Needs pkg-config, jansson and cmark (scripts/install-deps.sh).
set -u
build=$1 src=$2 cmake=$3
here=$src/tests/sdk
work=$(mktemp -d "$build/sdk-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }
ok() { passed=$((passed + 1)); }
check() { local name=$1; shift; if "$@"; then ok; else fail "$name"; fi; }
# Shows a log and stops: nothing after a failed build can be checked.
die() { echo "FAIL: $1"; [ -f "${2:-}" ] && sed 's/^/  /' "$2"; exit 1; }

# Warnings are errors in the examples too: they are what people copy.
warn="-Wall -Wextra -Wconversion -Wno-sign-conversion -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror"

# --- install ------------------------------------------------------------------
prefix=$work/prefix
"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
    die "cmake --install" "$work/install.log"
pk=$prefix/bin/presskit
lib=$(find "$prefix" -name 'libpresskit.so' -printf '%h\n' -quit)
[ -n "$lib" ] || die "no libpresskit.so installed"
for f in "$pk" "$prefix/include/presskit/presskit.h" "$prefix/include/presskit/plugin.h" \
    "$prefix/share/man/man1/presskit.1" "$lib/pkgconfig/presskit.pc" \
    "$lib/cmake/presskit/presskitConfig.cmake" "$lib/cmake/presskit/presskitConfigVersion.cmake" \
    "$lib/presskit/plugins/markdown.so" "$lib/presskit/plugins/plugins.index"; do
    check "installed: $f" test -e "$f"
done
check "versioned library" test -L "$lib/libpresskit.so"
export PKG_CONFIG_PATH=$lib/pkgconfig
check "pkg-config plugindir" test "$(pkg-config --variable=plugindir presskit)" = "$lib/presskit/plugins"
check "pkg-config cflags" test "$(pkg-config --cflags presskit | tr -d ' ')" = "-I$prefix/include"

# The installed presskit finds its library and plugins with no help.
unset PRESSKIT_PLUGIN_PATH LD_LIBRARY_PATH
"$pk" --list-plugins >"$work/list" 2>&1
check "installed presskit lists its plugins" grep -q "^markdown .* $lib/presskit/plugins/markdown\.so " "$work/list"

# --- build the examples, both ways ------------------------------------------
for ex in plugin-csv plugin-frontmatter-json; do
    "$cmake" -S "$src/examples/$ex" -B "$work/cmake-$ex" -DCMAKE_PREFIX_PATH="$prefix" \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS="$warn" >"$work/$ex.log" 2>&1 &&
        "$cmake" --build "$work/cmake-$ex" >>"$work/$ex.log" 2>&1 ||
        die "$ex: cmake build" "$work/$ex.log"
    # make builds in the source folder: build a copy, as a third party would.
    cp -R "$src/examples/$ex" "$work/make-$ex"
    make -C "$work/make-$ex" CFLAGS="-O2 $warn" >"$work/$ex.make.log" 2>&1 ||
        die "$ex: make build" "$work/$ex.make.log"
done
for so in cmake-plugin-csv/csv.so make-plugin-csv/csv.so \
    cmake-plugin-frontmatter-json/jmd.so make-plugin-frontmatter-json/jmd.so; do
    # Only the entry point is exported.
    check "$so exports pk_plugin_entry only" \
        test "$(nm -D --defined-only "$work/$so" | awk '{print $3}')" = pk_plugin_entry
done

# --- csv: the writer --------------------------------------------------------
one=$src/examples/releases/2023-05-18-school-lunch-expansion.md
two=$src/examples/releases/2023-07-02-matariki-heritage-fund.md
printf '%s\r\n' \
    'date,title,ministers,portfolios,url,id' \
    '2023-05-18,"Free school lunches reach another 40,000 ākonga",Hon Rawiri Kāmura,Education; Child Poverty Reduction,https://www.example.govt.nz/release/school-lunch-expansion,https://www.example.govt.nz/release/school-lunch-expansion' \
    '2023-07-02,New fund to protect marae and taonga for future generations,Hon Mereana Pōtae,"Māori Development; Arts, Culture and Heritage",https://www.example.govt.nz/release/matariki-heritage-fund,https://www.example.govt.nz/release/matariki-heritage-fund' \
    >"$work/expected.csv"
printf '%s\r\n' $'2024-01-02,"The ""fast"" ferry,\nnow daily","Hon Ana Lee; Hon Bo ""Bee"" Ng",Transport,,"tag:presskit.invalid,2024-01-02:quoted"' \
    >"$work/expected-quoted.csv"
n_releases=$(find "$src/examples/releases" -name '*.md' | wc -l)
for how in cmake make; do
    dir=$work/$how-plugin-csv
    PRESSKIT_PLUGIN_PATH=$dir "$pk" -t csv "$one" "$two" >"$work/got.csv" 2>"$work/err"
    check "csv ($how): two releases, exact" cmp -s "$work/expected.csv" "$work/got.csv"
    PRESSKIT_PLUGIN_PATH=$dir "$pk" -t csv -M csv.header=false "$here/quoted.md" >"$work/got.csv" 2>"$work/err"
    check "csv ($how): quoting, no header" cmp -s "$work/expected-quoted.csv" "$work/got.csv"
    PRESSKIT_PLUGIN_PATH=$dir "$pk" -t csv -o "$work/all.csv" "$src/examples/releases" 2>"$work/err"
    check "csv ($how): every release, exit 0" test $? = 0
    check "csv ($how): a header and one row per release" \
        test "$(grep -c $'\r$' "$work/all.csv")" = $((n_releases + 1))
    check "csv ($how): no bare LF" test "$(grep -vc $'\r$' "$work/all.csv")" = 0
    PRESSKIT_PLUGIN_PATH=$dir "$pk" -t csv -M csv.nope=1 "$one" >/dev/null 2>"$work/err"
    check "csv ($how): undeclared option is a usage error" test $? = 2
    check "csv ($how): ... naming the valid keys" grep -q "csv.header" "$work/err"
done
[ $failed = 0 ] || { sed 's/^/  got: /' "$work/got.csv"; sed 's/^/  stderr: /' "$work/err"; }

# --- jmd: the reader --------------------------------------------------------
jmd=$src/examples/plugin-frontmatter-json/city-rail-stations.jmd
md=$src/examples/releases/2024/2024-02-12-city-rail-stations.md
"$pk" -t json "$md" >"$work/from-md.json"
for how in cmake make; do
    dir=$work/$how-plugin-frontmatter-json
    # The same release read from JSON front matter is the same document.
    PRESSKIT_PLUGIN_PATH=$dir "$pk" -t json "$jmd" >"$work/from-jmd.json" 2>"$work/err"
    check "jmd ($how): same canonical JSON as the .md" cmp -s "$work/from-md.json" "$work/from-jmd.json"
    PRESSKIT_PLUGIN_PATH=$dir "$pk" -t json "$here/duplicate-key.jmd" >/dev/null 2>"$work/err"
    check "jmd ($how): a bad input fails with exit 1" test $? = 1
    check "jmd ($how): ... and a located message" \
        grep -qF "duplicate-key.jmd:3:9: front matter: duplicate object key near '\"title\"'" "$work/err"
done
# A third-party reader into a third-party writer.
PRESSKIT_PLUGIN_PATH=$work/make-plugin-frontmatter-json:$work/cmake-plugin-csv \
    "$pk" -t csv "$jmd" >"$work/jmd.csv" 2>"$work/err"
PRESSKIT_PLUGIN_PATH=$work/cmake-plugin-csv "$pk" -t csv "$md" >"$work/md.csv" 2>>"$work/err"
check "jmd into csv" cmp -s "$work/md.csv" "$work/jmd.csv"

# --- install the plugins where presskit finds them without being told -------
make -C "$work/make-plugin-csv" install >"$work/make-install.log" 2>&1 ||
    die "make install" "$work/make-install.log"
"$cmake" --install "$work/cmake-plugin-frontmatter-json" >"$work/cmake-install.log" 2>&1 ||
    die "cmake --install (jmd)" "$work/cmake-install.log"
"$pk" --list-plugins >"$work/list" 2>&1
check "installed csv is found" grep -q "^csv  *writer .*$lib/presskit/plugins/csv\.so  *\.csv$" "$work/list"
check "installed jmd is found" grep -q "^jmd  *reader .*$lib/presskit/plugins/jmd\.so  *\.jmd$" "$work/list"
"$pk" -t csv "$jmd" >"$work/jmd.csv" 2>"$work/err"
check "installed plugins convert" cmp -s "$work/md.csv" "$work/jmd.csv"
# Not in the index yet: loaded at every start.  Indexed: found the same.
check "installed csv not indexed yet" test "$(grep -c '^csv\.so	' "$lib/presskit/plugins/plugins.index")" = 0
"$pk" --write-plugin-index "$lib/presskit/plugins" 2>"$work/err"
check "re-index the plugin dir" test ! -s "$work/err"
check "csv indexed" grep -q '^csv\.so	[0-9]*	[0-9.]*	writer	csv	' "$lib/presskit/plugins/plugins.index"
"$pk" --list-plugins >"$work/list2" 2>&1
check "indexed listing unchanged" cmp -s "$work/list" "$work/list2"
"$pk" -t csv "$jmd" >"$work/jmd.csv" 2>"$work/err"
check "indexed plugins convert" cmp -s "$work/md.csv" "$work/jmd.csv"

# --- a moved installation still finds its library and its plugins ------------
mv "$prefix" "$work/moved"
"$work/moved/bin/presskit" -t csv "$jmd" >"$work/jmd.csv" 2>"$work/err"
check "relocated installation" cmp -s "$work/md.csv" "$work/jmd.csv"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
