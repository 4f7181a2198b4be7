#!/usr/bin/python3
"""Records what ansible-core 2.14's Jinja environment returns for each case in cases.py.

Run with Debian's python3 (the one ansible-playbook uses):
    /usr/bin/python3 spec/unit/render/filters/oracle/generate.py
It writes expected.json next to this script. The unit spec compares the TypeScript filters with
that fixture, so the unit suite never needs Python.

Each case is evaluated as a compiled Jinja expression in the environment of a real Templar, so
filters (tests via Environment.call_test) go through the same lookup (jinja2 builtins + ansible.builtin plugins, iterator
unrolling) as in a playbook:  `__v | name(*__a, **__k)`  or  `__v is name(*__a, **__k)`.
"""
import json
import math
import os
import sys
import warnings

warnings.filterwarnings('ignore')
os.environ.setdefault('ANSIBLE_NOCOLOR', '1')

from ansible.template import Templar  # noqa: E402
from ansible.parsing.dataloader import DataLoader  # noqa: E402
import jinja2  # noqa: E402
from jinja2.runtime import Undefined  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cases import CASES  # noqa: E402

ENV = Templar(loader=DataLoader()).environment


def plain(v):
    """Python result -> JSON-able value, keeping the distinctions the TS side must reproduce."""
    if isinstance(v, Undefined):
        return {'undefined': True}
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return {'ok': v if not isinstance(v, str) else str(v)}
    if isinstance(v, int):
        return {'ok': v}
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return {'ok': repr(v), 'pyfloat': True}
        return {'ok': v, 'pyfloat': True}
    if isinstance(v, (set, frozenset)):
        return {'set': sorted((deep(x) for x in v), key=repr)}
    return {'ok': deep(v)}


def deep(v):
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, str):
        return str(v)
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, dict):
        return {str(k): deep(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, range)) or hasattr(v, '__iter__'):
        return [deep(x) for x in v]
    if isinstance(v, Undefined):
        return '<undefined>'
    return repr(v)


def run(case):
    kind, name = case['kind'], case['name']
    value, args, kwargs = case.get('value'), case.get('args', []), case.get('kwargs', {})
    try:
        if kind == 'filter':
            fn = ENV.compile_expression('__v | %s(*__a, **__k)' % name, undefined_to_none=False)
            out = fn(__v=value, __a=args, __k=kwargs)
        elif kind == 'test':
            # call_test reaches operator-named tests ('==', '<') too, as select('==', x) does.
            out = ENV.call_test(name, value, args, kwargs)
        elif kind == 'global':
            out = ENV.globals[name](*args, **kwargs)
        else:
            raise ValueError(kind)
        if not isinstance(out, Undefined) and hasattr(out, '__next__'):
            out = list(out)
        if isinstance(out, range):
            out = list(out)
        return plain(out)
    except Exception as e:  # recorded: the TS side must throw FilterError here
        return {'error': '%s: %s' % (type(e).__name__, e)}


def main():
    out = []
    for case in CASES:
        rec = dict(case)
        rec.update(expect=run(case))
        out.append(rec)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'expected.json')
    with open(path, 'w') as f:
        json.dump({'generator': 'ansible-core %s, jinja2 %s' % (__import__('ansible').__version__, jinja2.__version__),
                   'cases': out}, f, indent=1, ensure_ascii=False)
        f.write('\n')
    print('%d cases -> %s' % (len(out), path))


main()
