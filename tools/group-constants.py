#!/usr/bin/env python3
"""Orders generated constants by the kernel enum (or #define family) that
declares them, in header order, with a comment naming it.

Usage: group-constants.py CLASS "HEADERS" < lines of "    public static final int NAME = VALUE;"
Writes the Java class body (the constant lines with group comments) to stdout.
"""
import re
import sys

cls, headers = sys.argv[1], sys.argv[2].split()
lines = {}
for line in sys.stdin:
    m = re.match(r'\s*public static final int (\w+) = (-?\d+);', line)
    if m:
        lines[m.group(1)] = line.rstrip('\n')

placed = set()
groups = []   # (comment, [names])
for h in headers:
    text = open('/usr/include/' + h, encoding='utf-8', errors='replace').read()
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    # enums, named or not, in the order the header declares them
    for m in re.finditer(r'enum\s*(\w*)\s*\{(.*?)\}', text, flags=re.S):
        names = [n for n in re.findall(r'^\s*(\w+)', m.group(2), flags=re.M) if n in lines and n not in placed]
        if names:
            label = m.group(1) or '{ ' + names[0] + ', ... }'
            groups.append((f'enum {label} ({h})', names))
            placed.update(names)
    # #defines, grouped by their first word (IFF_, TUNSETIFF...) in header order
    defs = {}
    for m in re.finditer(r'^\s*#\s*define\s+(\w+)', text, flags=re.M):
        n = m.group(1)
        if n in lines and n not in placed:
            key = n.split('_')[0]
            defs.setdefault(key, []).append(n)
            placed.add(n)
    for key, names in defs.items():
        groups.append((f'#define {key}_* ({h})', names))

rest = sorted(n for n in lines if n not in placed)
if rest:
    groups.append(('declared elsewhere (headers these include)', rest))
for comment, names in groups:
    print()
    print(f'    // {comment}')
    for n in names:
        print(lines[n])
