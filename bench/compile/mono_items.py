#!/usr/bin/env python3
"""Groups rustc's `-Zprint-mono-items=yes` output by function shape (generic arguments below the
first level elided) and counts instances: a shape instantiated once per endpoint shows up
with a count near the number of endpoints.

    mono_items.py MONO_OUTPUT TOP

(see README.md for the command that produces MONO_OUTPUT)
"""
import sys, re, collections
def shape(s):
    out, d = [], 0
    for ch in s:
        if ch == '<':
            d += 1
            if d == 2: out.append('<..>')
            if d >= 2: continue
        elif ch == '>':
            d -= 1
            if d >= 1 and d+1 >= 2: continue
        elif d >= 2: continue
        out.append(ch)
    return ''.join(out)
c = collections.Counter(); crate = collections.Counter()
for l in open(sys.argv[1]):
    if not l.startswith('MONO_ITEM'): continue
    item = l[len('MONO_ITEM '):].split(' @@ ')[0]
    c[shape(item)] += 1
    m = re.search(r'(dmr_runtime|gen_dmr|gen_plain|actix_web|actix_http|utoipa|serde|core|alloc|std|futures\w*|tokio|jsonwebtoken)::', item)
    crate[m.group(1) if m else '?'] += 1
print(sum(c.values()), 'items;', dict(crate.most_common(8)))
for k, v in c.most_common(int(sys.argv[2])): print(v, k[:230])
per = {k: v for k, v in c.items() if v >= 40}
print('shapes instantiated >= 40 times:', len(per), 'items in them:', sum(per.values()))
dm = [(v, k) for k, v in c.items() if 'dmr_runtime' in k and v >= 10]
print('dmr_runtime shapes >= 10 times:', len(dm), 'items:', sum(v for v, _ in dm))
for v, k in sorted(dm, reverse=True)[:40]: print(v, k[:200])
