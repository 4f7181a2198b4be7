"""Cases for generate.py: (group, kind, name, value, args, kwargs). Inputs must survive JSON, so
no integral floats (JS cannot tell 3.0 from 3), no tuples, no non-string keys."""

CASES = []


def F(group, name, value, *args, **kwargs):
    CASES.append({'group': group, 'kind': 'filter', 'name': name, 'value': value, 'args': list(args), 'kwargs': kwargs})


def T(name, value, *args, **kwargs):
    CASES.append({'group': 'tests', 'kind': 'test', 'name': name, 'value': value, 'args': list(args), 'kwargs': kwargs})


def G(group, name, *args):
    CASES.append({'group': group, 'kind': 'global', 'name': name, 'value': None, 'args': list(args), 'kwargs': {}})


# ---- strings / scalars -------------------------------------------------------------------------
S = 'strings'
for v in ['yes', 'YES', 'on', 'On', '1', 'true', 'True', 'no', 'off', '0', 'false', 'y', '', 'maybe', 1, 0, 2, 0.5, True, False, None, [1], {}]:
    F(S, 'bool', v)
for v in ['08', '42', ' 12 ', '-7', '+3', '3.7', '-3.7', 'abc', '', '1e3', '1_000', '0x1f', True, False, None, 3.7, -3.7, 12, [1], '12abc', '١٢']:
    F(S, 'int', v)
F(S, 'int', 'abc', 5)
F(S, 'int', '0x1f', 0, 16)
F(S, 'int', '1f', 0, 16)
F(S, 'int', '0b101', 0, 2)
F(S, 'int', '0o17', 0, 8)
F(S, 'int', '017', 0, 8)
F(S, 'int', '0x1f', base=0)
F(S, 'int', 'zz', base=36)
F(S, 'int', '12', base=16)
for v in ['3.5', ' 2.25 ', '-1e-3', 'abc', '', 'inf', '1_0.5', True, None, 7, 2.5, [1]]:
    F(S, 'float', v)
F(S, 'float', 'x', 1.5)
for v in ['abc', 12, -3, 2.5, True, False, None, [1, 'a', None, True], {'a': 1, 'b': [None]}, [], {}, 1e20, 1e-7, 0.1, 100000000000000000000000, 1.5e16, 123456789012.5, "it's", ['it\'s', 'say "hi"'], {'k': "a'b"}]:
    F(S, 'string', v)
for n in ['lower', 'upper', 'capitalize', 'title']:
    for v in ['hello World', 'ÉCOLE ß', "they're bill's friends", 'a-b c_d (e[f', 'ǆ', 12, None, True]:
        F(S, n, v)
for v in ['  a b  ', '\t\nx\n', 'x', 12]:
    F(S, 'trim', v)
F(S, 'trim', 'xxhixx', 'x')
F(S, 'trim', '--hi-+', '-+')
F(S, 'replace', 'aaaaargh', 'a', "d'oh, ", 2)
F(S, 'replace', 'Hello World', 'Hello', 'Goodbye')
F(S, 'replace', 'abc', '', '-')
F(S, 'replace', 12345, 3, 9)
F(S, 'replace', None, 'o', '0')
F(S, 'replace', 'abab', 'b', 'X', 0)
# regex_replace
F(S, 'regex_replace', 'hello world', 'o', '0')
F(S, 'regex_replace', 'ansible', '^a.*i(.*)$', 'a\\1')
F(S, 'regex_replace', 'foobar', '^f.*o(.*)$', '\\1')
F(S, 'regex_replace', 'localhost:80', '^(?P<host>.+):(?P<port>\\d+)$', '\\g<host>, \\g<port>')
F(S, 'regex_replace', 'localhost:80', '^(.+):(\\d+)$', '\\g<2>-\\g<1>')
F(S, 'regex_replace', 'ABC abc', 'abc', 'x', ignorecase=True)
F(S, 'regex_replace', 'a\nb\nc', '^', '> ', multiline=True)
F(S, 'regex_replace', 'a\nb\nc', '^', '> ')
F(S, 'regex_replace', 'a.b.c', '\\.', '\\\\')
F(S, 'regex_replace', 'a b  c', '\\s+', '_')
F(S, 'regex_replace', 'price: $5', '\\$(\\d)', '$$\\1')
F(S, 'regex_replace', 'abc', '', '-')
F(S, 'regex_replace', 'abc', 'x*', '-')
F(S, 'regex_replace', 'aaa', 'a', '\\n')
F(S, 'regex_replace', 'abc', '(b)', '[\\1\\1]')
F(S, 'regex_replace', 'abc', '(', 'x')
F(S, 'regex_replace', 'abc', '(b)', '\\2')
F(S, 'regex_replace', 12345, '3', 'x')
F(S, 'regex_replace', 'foo=1 bar=2', '(?P<k>\\w+)=(?P<v>\\d)', '\\g<v>=\\g<k>')
F(S, 'regex_replace', 'Ab', '(?i)a', 'x')
F(S, 'regex_replace', 'a1b22', '\\d', '#')
F(S, 'regex_replace', 'x_y', '\\w', '.')
F(S, 'regex_replace', 'tab\there', '\\t', ' ')
F(S, 'regex_replace', 'end', '$', '!')
F(S, 'regex_replace', 'a\nb\n', '$', '!')
F(S, 'regex_replace', 'a\nb', '\\Z', '!')
F(S, 'regex_replace', 'hello', '\\Ah', 'H')
F(S, 'regex_replace', 'x', 'x', '\\\\1')
# regex_search / findall / escape
F(S, 'regex_search', 'server1/database42', 'database[0-9]+')
F(S, 'regex_search', 'foo', 'bar')
F(S, 'regex_search', 'server1/database42', 'server([0-9]+)/database([0-9]+)', '\\1', '\\2')
F(S, 'regex_search', 'server1/database42', '(?P<dbname>database[0-9]+)', '\\g<dbname>')
F(S, 'regex_search', 'ABC', 'b', ignorecase=True)
F(S, 'regex_search', 'a\nfoo', '^foo', multiline=True)
F(S, 'regex_search', 'a\nfoo', '^foo')
F(S, 'regex_search', 'abc', 'b', 'x')
F(S, 'regex_search', 'abc', '(x)?b', '\\1')
F(S, 'regex_search', 'abc', '')
F(S, 'regex_findall', 'a1b22c333', '\\d+')
F(S, 'regex_findall', 'k1=v1 k2=v2', '(\\w+)=(\\w+)')
F(S, 'regex_findall', 'k1=v1 k2=v2', '(\\w+)=\\w+')
F(S, 'regex_findall', 'abc', 'x')
F(S, 'regex_findall', 'Ab aB', 'ab', ignorecase=True)
F(S, 'regex_findall', 'a\nb', '^\\w$', multiline=True)
F(S, 'regex_findall', 'aXbX', '(x)?', ignorecase=True)
for v in ['^f.*o(.*)$', 'a.b*c+d?[e]{f}(g)|h\\i$j', 'a b\t-#&~_%/:,;<=>!@"\'`', 'plain123', 'é']:
    F(S, 'regex_escape', v)
F(S, 'regex_escape', '^f.*o(.*)$', re_type='posix_basic')
F(S, 'regex_escape', 'x', re_type='posix_extended')
F(S, 'regex_escape', 'x', re_type='nope')
# split / join
F(S, 'split', 'a,b,,c', ',')
F(S, 'split', '  a  b\tc\n ')
F(S, 'split', 'a b c', ' ')
F(S, 'split', 'a  b', ' ')
F(S, 'split', '', ',')
F(S, 'split', '')
F(S, 'split', 'a,b,c', ',', 1)
F(S, 'split', 'a b c d', None, 2)
F(S, 'split', 'a::b::c', '::')
F(S, 'split', 'abc', '')
F(S, 'split', 12, ',')
# quote
for v in ['simple', 'with space', "it's", '', None, 'a"b', '$HOME', 'a@b%c+d=e:f,g./h-', 'é', 42, '*', 'x;y']:
    F(S, 'quote', v)
# paths
for v in ['/etc/hosts', '/etc/', 'hosts', '', '/', 'a/b/c.tar.gz', '//x//y', '/a/b/', '.bashrc', 'dir/.bashrc', 'a.b/c', 'x.']:
    F(S, 'basename', v)
    F(S, 'dirname', v)
    F(S, 'splitext', v)
# ternary
F(S, 'ternary', True, 'yes', 'no')
F(S, 'ternary', False, 'yes', 'no')
F(S, 'ternary', None, 'yes', 'no')
F(S, 'ternary', None, 'yes', 'no', 'none')
F(S, 'ternary', '', 'yes', 'no')
F(S, 'ternary', 'x', 'yes', 'no')
F(S, 'ternary', [], 1, 2)
F(S, 'ternary', 0, 1, 2, 3)
# indent
F(S, 'indent', 'a\nb\n\nc')
F(S, 'indent', 'a\nb\n\nc', 2, True)
F(S, 'indent', 'a\nb\n\nc', 2, blank=True)
F(S, 'indent', 'a\nb', '> ', first=True)
F(S, 'indent', 'a\nb\n')
F(S, 'indent', 'one')
F(S, 'indent', '')
F(S, 'indent', 'a\r\nb')
# format (printf style)
F(S, 'format', '%s-%s', 'a', 1)
F(S, 'format', '%d items', 3)
F(S, 'format', '%05.1f|%x|%o|%X', 3.14159, 255, 8, 255)
F(S, 'format', '%s', None)
F(S, 'format', '%s %s', True, [1, 'a'])
F(S, 'format', '%(a)s=%(b)d', a='x', b=2)
F(S, 'format', '100%%')
F(S, 'format', '%s %s', 'only')
F(S, 'format', '%-5s|%5s|', 'ab', 'cd')
F(S, 'format', '%i %r', 7, 'q')
F(S, 'format', '%.2f %e', 2.5, 12345.678)
F(S, 'format', '%d', '3')
# numbers
for v in [-3, 2.5, -2.5, 0, True]:
    F(S, 'abs', v)
F(S, 'abs', 'x')
for v in [42.55, 2.5, 3.5, -2.5, 1.005, 7, -0.4]:
    F(S, 'round', v)
F(S, 'round', 42.55, 1)
F(S, 'round', 42.55, 1, 'floor')
F(S, 'round', 42.51, 1, 'ceil')
F(S, 'round', 1234.5, -2)
F(S, 'round', 5, 0, 'ceil')
F(S, 'round', 1.5, 0, 'nearest')
F(S, 'round', 'x')
F(S, 'round', 2.675, 2)

# ---- lists -------------------------------------------------------------------------------------
L = 'lists'
F(L, 'join', [1, 2])
F(L, 'join', ['a', 'b', 'c'], ', ')
F(L, 'join', [True, None, 1.5, [1, 'x'], {'a': None}], ' ')
F(L, 'join', 'abc', '-')
F(L, 'join', [{'n': 'a'}, {'n': 'b'}], ',', attribute='n')
F(L, 'join', [], ',')
F(L, 'join', {'a': 1, 'b': 2}, '+')
for n in ['first', 'last']:
    for v in [[3, 1, 2], 'hello', [], '', {'a': 1, 'b': 2}]:
        F(L, n, v)
    F(L, n, 5)
for n in ['length', 'count']:
    for v in [[1, 2, 3], 'héllo', {'a': 1, 'b': 2}, [], '', None, 5]:
        F(L, n, v)
F(L, 'unique', [1, 2, 1, 3, 2])
F(L, 'unique', ['a', 'A', 'b', 'a'])
F(L, 'unique', ['a', 'A', 'b', 'a'], True)
F(L, 'unique', ['a', 'A', 'b'], case_sensitive=True)
F(L, 'unique', [[1], [1], [2]])
F(L, 'unique', [{'a': 1}, {'a': 1}])
F(L, 'unique', [{'n': 'x', 'i': 1}, {'n': 'X', 'i': 2}, {'n': 'y', 'i': 3}], attribute='n')
F(L, 'unique', [1, True, 1.5, '1'])
F(L, 'unique', 'abca')
F(L, 'union', [1, 2], [2, 3])
F(L, 'union', [1, 2, 1], [3, 3])
F(L, 'union', [[1], 2], [[1], 3])
F(L, 'union', ['a', 'A'], ['a'])
F(L, 'intersect', [1, 2, 3, 2], [2, 3, 4])
F(L, 'intersect', [1, 2], [])
F(L, 'intersect', [{'a': 1}, 2], [{'a': 1}])
F(L, 'difference', [1, 2, 3, 2], [2])
F(L, 'difference', [1, 2], [3])
F(L, 'symmetric_difference', [1, 2, 3], [2, 3, 4])
F(L, 'symmetric_difference', [1, 1, 2], [2, 5, 5])
F(L, 'union', 5, [1])
F(L, 'sort', [3, 1, 2])
F(L, 'sort', [3, 1, 2], reverse=True)
F(L, 'sort', [3, 1, 2], True)
F(L, 'sort', ['b', 'B', 'a', 'C'])
F(L, 'sort', ['b', 'B', 'a', 'C'], case_sensitive=True)
F(L, 'sort', [1, 'a'])
F(L, 'sort', [True, 0, 2.5, -1])
F(L, 'sort', [None, None])
F(L, 'sort', [None, 1])
F(L, 'sort', [[2, 1], [1, 5], [1, 2, 0], []])
F(L, 'sort', [{'n': 'b', 'a': 2}, {'n': 'a', 'a': 2}, {'n': 'c', 'a': 1}], attribute='a')
F(L, 'sort', [{'n': 'b', 'a': 2}, {'n': 'a', 'a': 2}, {'n': 'c', 'a': 1}], attribute='a,n')
F(L, 'sort', [{'p': {'x': 2}}, {'p': {'x': 1}}], attribute='p.x')
F(L, 'sort', [{'a': 1}, {'b': 2}], attribute='a')
F(L, 'sort', [{'a': 1}, {'a': 2}])
F(L, 'sort', 'cab')
F(L, 'sort', {'b': 1, 'a': 2})
F(L, 'sort', ['10', '9', '1'])
F(L, 'sort', ['é', 'z', 'e'])
F(L, 'reverse', [1, 2, 3])
F(L, 'reverse', 'abc')
F(L, 'reverse', {'a': 1, 'b': 2})
for n in ['min', 'max']:
    F(L, n, [3, 1, 2])
    F(L, n, ['b', 'A', 'c'])
    F(L, n, ['b', 'A', 'c'], case_sensitive=True)
    F(L, n, [])
    F(L, n, [{'a': 3}, {'a': 1}], attribute='a')
    F(L, n, [1, 'a'])
    F(L, n, 'hello')
    F(L, n, [1, 2.5, True])
F(L, 'sum', [1, 2, 3])
F(L, 'sum', [1, 2.5])
F(L, 'sum', [], start=10)
F(L, 'sum', [[1], [2]], start=[])
F(L, 'sum', [{'p': 2}, {'p': 3}], attribute='p')
F(L, 'sum', [1, 'a'])
F(L, 'sum', [True, True])
F(L, 'list', 'abc')
F(L, 'list', [1, 2])
F(L, 'list', {'a': 1, 'b': 2})
F(L, 'list', 5)
F(L, 'flatten', [1, [2, [3, [4, None, 'null']]], 'None'])
F(L, 'flatten', [1, [2, [3, [4]]]], levels=1)
F(L, 'flatten', [1, [2, [3, [4]]]], 2)
F(L, 'flatten', [1, [None, 2]], skip_nulls=False)
F(L, 'flatten', [[], [[]], 'ab'])
F(L, 'flatten', [{'a': [1]}, [{'b': 2}]])
F(L, 'zip', [1, 2, 3], ['a', 'b'])
F(L, 'zip', [1, 2], ['a', 'b'], [True, False])
F(L, 'zip', 'ab', 'xyz')
F(L, 'zip', [1, 2])
F(L, 'zip_longest', [1, 2, 3], ['a'])
F(L, 'zip_longest', [1, 2, 3], ['a'], fillvalue='-')
F(L, 'zip', 5, [1])
F(L, 'product', [1, 2], ['a', 'b'])
F(L, 'product', [1, 2], repeat=2)
F(L, 'product', 'ab', [1])
F(L, 'map', ['a', 'b'], 'upper')
F(L, 'map', [{'n': 1}, {'n': 2}], attribute='n')
F(L, 'map', [{'n': {'m': 1}}, {'n': {'m': 2}}], attribute='n.m')
F(L, 'map', [[1, 2], [3, 4]], attribute='0')
F(L, 'map', [{'n': 1}, {}], attribute='n', default=0)
F(L, 'map', ['a,b', 'c'], 'split', ',')
F(L, 'map', ['1', '2x', 3], 'int')
F(L, 'map', ['x-1', 'y-2'], 'regex_replace', '-(\\d)', ':\\1')
F(L, 'map', [1, 2], 'nosuchfilter')
F(L, 'map', [1, 2])
F(L, 'map', ['a'], 'replace', 'a', 'b', count=1)
F(L, 'map', [[1, 2], [3]], 'length')
F(L, 'map', [{'a': 1}], 'dict2items')
F(L, 'map', [{'a': 1}], attribute='a', bogus=1)
F(L, 'select', [1, 2, 3, 4, 5], 'odd')
F(L, 'select', [0, 1, '', 'a', None, [], [0]])
F(L, 'select', [1, 5, 10], 'gt', 3)
F(L, 'select', [1, 5, 10], '>', 3)
F(L, 'select', ['ab', 'cd', 'abc'], 'match', 'a')
F(L, 'select', ['ab', 'cd', 'xab'], 'search', 'AB', ignorecase=True)
F(L, 'select', [1, 2], 'nosuchtest')
F(L, 'select', ['a', 1, None, [1], {'a': 1}], 'string')
F(L, 'select', [1, 2, 3], 'in', [2, 3, 9])
F(L, 'select', [[1, 2], [3]], 'contains', 2)
F(L, 'select', ['1.2', '2.0', '0.9'], 'version', '1.0', '>')
F(L, 'select', [], 'odd')
F(L, 'reject', [1, 2, 3, 4, 5], 'odd')
F(L, 'reject', [0, 1, '', 'a', None])
F(L, 'reject', ['a', 'b'], 'equalto', 'a')
U = [{'name': 'ann', 'on': True, 'age': 30, 'tags': ['x']}, {'name': 'bob', 'on': False, 'age': 20, 'tags': []}, {'name': 'cy', 'age': 40}]
F(L, 'selectattr', U, 'on')
F(L, 'selectattr', U[:2], 'on')
F(L, 'selectattr', U, 'age', 'gt', 25)
F(L, 'selectattr', U, 'age', '>=', 30)
F(L, 'selectattr', U, 'name', 'equalto', 'bob')
F(L, 'selectattr', U, 'name', '==', 'bob')
F(L, 'selectattr', U, 'name', 'in', ['ann', 'cy'])
F(L, 'selectattr', U, 'name', 'match', '^[ab]')
F(L, 'selectattr', U, 'on', 'defined')
F(L, 'selectattr', U, 'on', 'undefined')
F(L, 'selectattr', U, 'tags', 'contains', 'x')
F(L, 'selectattr', U[:2], 'tags')
F(L, 'rejectattr', U[:2], 'on')
F(L, 'rejectattr', U, 'age', 'lt', 30)
F(L, 'rejectattr', U, 'on', 'defined')
F(L, 'rejectattr', U, 'name', 'search', 'o')
F(L, 'selectattr', [1, 2], 'x')
F(L, 'selectattr', U)
F(L, 'subelements', [{'name': 'alice', 'groups': ['wheel', 'dev']}, {'name': 'bob', 'groups': []}], 'groups')
F(L, 'subelements', {'a': {'n': 'a', 'k': {'l': [1, 2]}}}, 'k.l')
F(L, 'subelements', [{'name': 'x'}], 'groups')
F(L, 'subelements', [{'name': 'x'}], 'groups', skip_missing=True)
F(L, 'subelements', [{'name': 'x', 'groups': 'nope'}], 'groups')
F(L, 'subelements', 'str', 'groups')
F(L, 'subelements', [{'a': {'b': [1]}}], ['a', 'b'])
F(L, 'extract', 1, ['a', 'b', 'c'])
F(L, 'extract', 'x', {'x': 1, 'y': 2})
F(L, 'extract', 'x', {'x': {'y': {'z': 3}}}, ['y', 'z'])
F(L, 'extract', 'x', {'x': {'y': 1}}, 'y')
F(L, 'map', [0, 2], 'extract', ['a', 'b', 'c'])
F(L, 'map', ['x', 'y'], 'extract', {'x': 1, 'y': 2})
F(L, 'sort', [3, 1, 2], reverce=True)
F(L, 'sort', [3, 1, 2], True, False, None, 'extra')
F(L, 'sort', [3, 1, 2], True, reverse=False)
F(L, 'unique', [1], bogus=1)
F(S, 'upper', 'a', 'x')
F(S, 'int', '12', 0, 10, 99)
G(L, 'range', 3)
G(L, 'range', 1, 4)
G(L, 'range', 10, 0, -3)
G(L, 'range', 0)
G(L, 'range', 0, 10, 0)

# ---- dicts -------------------------------------------------------------------------------------
D = 'dicts'
F(D, 'dict2items', {'a': 1, 'b': [2]})
F(D, 'dict2items', {'a': 1}, key_name='k', value_name='v')
F(D, 'dict2items', {})
F(D, 'dict2items', [1, 2])
F(D, 'items2dict', [{'key': 'a', 'value': 1}, {'key': 'b', 'value': 2}])
F(D, 'items2dict', [{'k': 'a', 'v': 1}], key_name='k', value_name='v')
F(D, 'items2dict', [{'key': 'a'}])
F(D, 'items2dict', 'str')
F(D, 'items2dict', [1])
F(D, 'items2dict', [])
F(D, 'items', {'a': 1, 'b': [2]})
F(D, 'items', [1])
F(D, 'dictsort', {'b': 1, 'A': 3, 'c': 2})
F(D, 'dictsort', {'b': 1, 'A': 3, 'c': 2}, True)
F(D, 'dictsort', {'b': 1, 'A': 3, 'c': 2}, False, 'value')
F(D, 'dictsort', {'b': 1, 'A': 3, 'c': 2}, reverse=True)
A = {'a': 1, 'n': {'x': 1, 'l': [1, 2]}, 'l': [1, 2]}
B = {'b': 2, 'n': {'y': 2, 'l': [3]}, 'l': [2, 3]}
F(D, 'combine', A, B)
F(D, 'combine', A, B, recursive=True)
F(D, 'combine', {'a': 1}, {'b': 2}, {'a': 3})
F(D, 'combine', [{'a': 1}, {'b': 2}])
F(D, 'combine', [])
F(D, 'combine', {'a': 1})
for lm in ['replace', 'keep', 'append', 'prepend', 'append_rp', 'prepend_rp']:
    F(D, 'combine', A, B, recursive=True, list_merge=lm)
    F(D, 'combine', {'l': [1, 2, {'z': 1}]}, {'l': [2, 3, {'z': 1}]}, list_merge=lm)
F(D, 'combine', A, B, list_merge='bogus')
F(D, 'combine', A, B, bogus=True)
F(D, 'combine', {'a': 1}, 'x')
F(D, 'combine', {'a': {'b': 1}}, {'a': None}, recursive=True)
F(D, 'combine', {'a': None}, {'a': {'b': 1}}, recursive=True)
F(D, 'combine', {'a': {'b': 1}}, {'a': [1]}, recursive=True)

# ---- serialization -----------------------------------------------------------------------------
J = 'serial'
SAMPLES = [
    {'b': 1, 'a': [1, 'two', None, True, 2.5], 'c': {}, 'd': []},
    ['x', {'k': 'v'}, [], [[1, 2], []]],
    'plain', '', 'é ünï', 'line1\nline2', 'line1\nline2\n', 12, -0.5, True, None, [], {},
    {'s': 'yes', 'n': '123', 'f': '1.5', 'e': '', 'nul': 'null', 't': '~', 'b': 'True', 'o': 'off', 'x': '0x1F', 'oct': '0755'},
    {'c': 'a: b', 'h': '#x', 'd': '- x', 'q': "it's", 'dq': 'say "hi"', 'sp': ' lead', 'tr': 'trail ', 'star': '*x', 'amp': '&a', 'pct': '%x', 'at': '@x', 'bt': '`x', 'bang': '!x'},
    {'colon': 'a:b', 'hashmid': 'a #b', 'q?': '?', 'dash': '-', 'brace': '{a}', 'brack': '[a]', 'comma': 'a, b', 'pipe': '|', 'gt': '>', 'tab': 'a\tb', 'bs': 'a\\b'},
    {'long': 'word ' * 30, 'url': 'https://example.com/a/b?c=d&e=f', 'date': '2024-01-02', 'time': '12:30', 'ver': '1.10', 'dot': '.5', 'exp': '1e3', 'inf': '.inf', 'sci': '6.02e+23'},
    {'nested': {'list': [{'a': 1, 'b': [1, 2]}, 'x'], 'empty': {'m': {}, 'l': []}}},
    [[1, [2, [3]]], {'k': [{'z': None}]}],
    {'key with space': 1, 'yes': 2, 'a:b': 4, '': 5},
    {'b': 1, '123': 3},
    {'uni': '日本語', 'emoji': '\u00e9\u00e8', 'ctrl': 'a\x01b', 'nl_only': '\n', 'crlf': 'a\r\nb', 'trailsp': 'a \nb'},
    {'f1': 0.1, 'f2': 1e20, 'f3': 1.5e-7, 'neg': -3},
    {'big': 12345678901234567890},
]
for v in SAMPLES:
    F(J, 'to_json', v)
    F(J, 'to_nice_json', v)
    F(J, 'to_yaml', v)
    F(J, 'to_nice_yaml', v)
F(J, 'to_json', {'b': 1, 'a': 2}, sort_keys=True)
F(J, 'to_json', {'b': 1, 'a': [1, 2]}, indent=2)
F(J, 'to_json', 'é', ensure_ascii=False)
F(J, 'to_nice_json', {'b': 1, 'a': [1, 2]}, indent=2)
F(J, 'to_nice_json', {'b': 1, 'a': 2}, sort_keys=False)
F(J, 'to_nice_yaml', {'a': [1, {'b': 2}]}, indent=2)
F(J, 'to_nice_yaml', {'b': 1, 'a': 2}, sort_keys=False)
F(J, 'to_yaml', {'b': 1, 'a': 2}, sort_keys=False)
F(J, 'to_yaml', {'a': [1, 2], 'b': {'c': 1}}, default_flow_style=True)
F(J, 'to_yaml', {'a': [1, 2], 'b': {'c': 1}}, default_flow_style=False)
F(J, 'to_yaml', {'a': 'x ' * 50}, width=1000)
for s in ['{"a": [1, 2.5, null, true], "b": "x"}', '[]', '"s"', '12', 'not json', '{"a":1,}', '  {"z": 1, "a": 2}  ', '1e400']:
    F(J, 'from_json', s)
for s in ['a: 1\nb: [x, y]\n', 'yes', 'on', 'off', 'No', '~', 'null', '0755', '0o17', '0x1F', '1_000', '1.5', '.inf', '-.5', 'plain', "'q'", '- a\n- b: 1\n',
          'a: !!str 1', 'x: "a\\tb"', '{a: 1, b: [1, 2]}', 'a: [1', 'k: v\nk: w', '', 'a:\n  - 1\n  -\n', 'x: 12:30', '!!binary "aGk="', '"1" : 2', 'a: 1.0e+3', 'a: 1e3',
          '? complex\n: value', 'a: &x 1\nb: *x', 'y', 'n', 'True', 'FALSE']:
    F(J, 'from_yaml', s)
F(J, 'from_yaml', {'already': 'data'})

# ---- encoding / hashing ------------------------------------------------------------------------
E = 'encoding'
for v in ['hello', '', 'é ✓', 'a\nb', 12, "ansible's"]:
    F(E, 'b64encode', v)
for v in ['aGVsbG8=', 'w6kg4pyT', '', 'aGVsbG8', 'not base64!', 'aGk=\n']:
    F(E, 'b64decode', v)
F(E, 'b64encode', 'hi', encoding='utf-16')
F(E, 'b64decode', '//5oAGkA', encoding='utf-16')
for v in ['hello', '', 'é', 12]:
    F(E, 'hash', v)
    for h in ['md5', 'sha1', 'sha256', 'sha512', 'sha224', 'sha384']:
        F(E, 'hash', v, h)
    F(E, 'checksum', v)
    F(E, 'md5', v)
    F(E, 'sha1', v)
F(E, 'hash', 'x', 'nope')
for pw, salt in [('pw', 'saltsalt'), ('secret', 'abcdefghijklmnop'), ('', 'x'), ('é', 'salt'), ('a' * 100, 'ab./AB09')]:
    F(E, 'password_hash', pw, 'sha512', salt)
F(E, 'password_hash', 'pw', 'sha256', 'saltsalt')
F(E, 'password_hash', 'pw', 'sha512', 'saltsalt', rounds=10000)
F(E, 'password_hash', 'pw', 'sha512', 'bad salt!')

# ---- version -----------------------------------------------------------------------------------
V = 'version'
for a, b in [('1.2', '1.10'), ('1.2.0', '1.2'), ('1.0', '1.0'), ('2.0a1', '2.0'), ('1.2-3', '1.2.3'), ('10', '9'), ('1.a', '1.1'), ('1.2rc1', '1.2'),
             ('v1.2', 'v1.10'), ('7.4p1', '7.4'), ('1.0.0', '1'), ('2', '2.0'), ('1.2', 1.3)]:
    for op in ['<', 'lt', '<=', 'le', '>', 'gt', '>=', 'ge', '==', '=', 'eq', '!=', '<>', 'ne']:
        T('version', a, b, op)
T('version', '1.2', '1.3')
T('version', '1.3', '1.3')
T('version', '1.2', '1.3', 'bogus')
T('version', '', '1.3', '<')
T('version', '1.2', '', '<')
T('version', '1.2.3', '1.2.10', '<', strict=True)
T('version', '1.2a1', '1.2', '<', strict=True)
T('version', '1.2b3', '1.2a4', '>', strict=True)
T('version', '1.2.3.4', '1.2', '>', strict=True)
T('version', '1.2', '1.2.0', '==', strict=True)
T('version', 'x', '1.2', '>', strict=True)
T('version', '1.2', '1.3', '<', strict=True, version_type='loose')
T('version', '1.2.3', '1.2.10', '<', version_type='semver')
T('version', '1.0.0-alpha', '1.0.0', '<', version_type='semver')
T('version', '1.0.0-alpha.1', '1.0.0-alpha.beta', '<', version_type='semver')
T('version', '1.0.0+b1', '1.0.0', '==', version_type='semantic')
T('version', '1.2', '1.2.0', '==', version_type='semver')
T('version', '1.2', '1.3', '<', version_type='strict')
T('version', '1.2', '1.3', '<', version_type='loose')
T('version', '1.2', '1.3', '<', version_type='nope')
T('version_compare', '1.2', '1.10', '<')
T('version', 12, '9', '>')
T('version', '1.2.beta', '1.2.1', '<')

# ---- tests -------------------------------------------------------------------------------------
VALS = ['s', '', 0, 1, 2.5, -3, True, False, None, [], [1], {}, {'a': 1}]
for n in ['none', 'string', 'number', 'integer', 'float', 'boolean', 'mapping', 'sequence', 'iterable', 'truthy', 'falsy', 'true', 'false']:
    for v in VALS:
        T(n, v)
for v in ['yes', 'no', 'off', 'on', 'false', '0', 'x', 0, 1]:
    T('truthy', v, convert_bool=True)
    T('falsy', v, convert_bool=True)
for v in [0, 1, 2, -3, 7]:
    T('even', v)
    T('odd', v)
    T('divisibleby', v, 3)
T('odd', 'x')
T('divisibleby', 6, 0)
T('divisibleby', 7.5, 2.5)
for v in ['abc', 'ABC', 'Abc', '123', 'a1', '', 'ß']:
    T('lower', v)
    T('upper', v)
for a, b in [(1, 1), (1, True), ('a', 'a'), (None, None), ([1], [1]), ({'a': 1}, {'a': 1}), (1, '1'), (True, True)]:
    for n in ['equalto', 'eq', '==', 'ne', '!=', 'sameas']:
        T(n, a, b)
for a, b in [(1, 2), (2, 1), (2, 2), ('a', 'b'), ('b', 'A'), (1.5, 1), ([1, 2], [1, 3]), (True, 0), (1, 'a'), (None, 1)]:
    for n in ['lt', '<', 'le', '<=', 'gt', '>', 'ge', '>=', 'lessthan', 'greaterthan']:
        T(n, a, b)
for v, s in [(1, [1, 2]), (3, [1, 2]), ('a', 'cat'), ('x', 'cat'), ('k', {'k': 1}), ('v', {'k': 'v'}), ([1], [[1], 2]), (1, 5), ('', 'abc')]:
    T('in', v, s)
    T('contains', s, v)
for v, p, kw in [('abc', 'b', {}), ('abc', 'a', {}), ('abc', '^b', {}), ('ABC', 'b', {'ignorecase': True}), ('x\nabc', '^abc', {'multiline': True}), ('x\nabc', '^abc', {}), ('abc', '(', {}), (12, '1', {})]:
    T('match', v, p, **kw)
    T('search', v, p, **kw)
    T('regex', v, p, **kw)
T('regex', 'abc', 'b', match_type='match')
T('regex', 'abc', 'a', match_type='fullmatch')
T('regex', 'abc', 'abc', match_type='fullmatch')
for a, b in [([1, 2], [1, 2, 3]), ([1, 4], [1, 2, 3]), ([], [1]), ([1, 1], [1]), ('ab', 'abc'), ([[1]], [[1]])]:
    T('subset', a, b)
    T('superset', b, a)
    T('issubset', a, b)
    T('issuperset', b, a)
for v in [[True, 1, 'x'], [True, 0], [], [0, '', None]]:
    T('all', v)
    T('any', v)
T('nan', 1.5)
T('nan', 'x')
R = {'changed': True, 'failed': False}
for v in [R, {'failed': True}, {'skipped': True, 'changed': False}, {}, {'results': [{'changed': False}, {'changed': True}]}, {'unreachable': True}]:
    for n in ['changed', 'change', 'failed', 'failure', 'succeeded', 'success', 'successful', 'skipped', 'skip', 'reachable', 'unreachable']:
        T(n, v)
T('failed', 'x')
T('changed', [1])
T('finished', {'finished': 1})
T('finished', {'finished': 0})
T('started', {'started': 1})

# ---- extra -------------------------------------------------------------------------------------
X = 'extra'
for v in [['/etc', 'ssh', 'sshd_config'], ['a', '/abs', 'b'], ['a/', 'b'], ['', 'x'], 'single', [], 5, ['a', 3]]:
    F(X, 'path_join', v)
P = [{'n': 'a', 'g': 'X'}, {'n': 'b', 'g': 'y'}, {'n': 'c', 'g': 'x'}, {'n': 'd'}]
F(X, 'groupby', P[:3], 'g')
F(X, 'groupby', P[:3], 'g', case_sensitive=True)
F(X, 'groupby', P, 'g', default='z')
F(X, 'groupby', [{'a': {'b': 2}}, {'a': {'b': 1}}, {'a': {'b': 2}}], 'a.b')
F(X, 'batch', [1, 2, 3, 4, 5], 2)
F(X, 'batch', [1, 2, 3, 4, 5], 2, 0)
F(X, 'batch', [], 3)
F(X, 'batch', [1], 0)
F(X, 'slice', [1, 2, 3, 4, 5, 6, 7], 3)
F(X, 'slice', [1, 2, 3, 4, 5, 6, 7], 3, 'x')
F(X, 'slice', [1, 2], 4)
for v in ['a b&c=d/e?f', 'é ~_.-!*\'()', {'k': 'v w', 'x': 1}, [['a', 'b c']], 12, None]:
    F(X, 'urlencode', v)
F(X, 'truncate', 'foo bar baz qux', 9)
F(X, 'truncate', 'foo bar baz qux', 9, True)
F(X, 'truncate', 'foo bar baz qux', 9, False, '!', 0)
F(X, 'truncate', 'short', 10)
F(X, 'truncate', 'x' * 300)
F(X, 'truncate', 'abc', 1)
F(X, 'center', 'ab', 7)
F(X, 'center', 'abc', 8)
F(X, 'center', 'abc', 2)
F(X, 'safe', 12)
F(X, 'wordcount', 'one two, three-four  _x_ é')
F(X, 'tojson', {'b': '<a href="x">&\'', 'a': [1, None]})
F(X, 'tojson', {'b': 1, 'a': 2}, 2)
F(X, 'permutations', [1, 2, 3])
F(X, 'permutations', [1, 2, 3], 2)
F(X, 'permutations', 'ab', 3)
F(X, 'combinations', [1, 2, 3, 4], 2)
F(X, 'combinations', [1, 2], 0)
F(X, 'combinations', [1, 2])
F(X, 'log', 100, 10)
F(X, 'log', 8, 2)
F(X, 'log', 2.5)
F(X, 'log', 0)
F(X, 'log', 'x')
F(X, 'pow', 2, 10)
F(X, 'pow', 2.5, 2)
F(X, 'pow', -8, 0.5)
F(X, 'root', 16)
F(X, 'root', 27, 3)
F(X, 'root', -4)
F(X, 'from_yaml_all', 'a: 1\n---\nb: 2\n')
F(X, 'from_yaml_all', '- x\n')
F(X, 'from_yaml_all', '')
for v in ['www.example.com', '', 'é']:
    F(X, 'to_uuid', v)
F(X, 'to_uuid', 'x', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')
F(X, 'to_uuid', 'x', 'nope')

# ---- regex in the wild ---------------------------------------------------------------------------
RX = 'regex'
for v, p, r, kw in [
    ('10.2.3', '^(\\d+)\\.(\\d+)', '\\2.\\1', {}),
    ('# c\nx=1\n#d\n', '(?m)^#.*\\n', '', {}),
    ('trail   ', '\\s+$', '', {}),
    ('a-b c.d', '[^a-zA-Z0-9]', '_', {}),
    ('ab cb', '(?<=a)b', 'X', {}),
    ('ab ac', 'a(?=b)', 'X', {}),
    ('ab', '(a)|b', '[\\1]', {}),
    ('a\nb', '.', 'x', {}),
    ('  a\n   b', '^\\s*', '', {'multiline': True}),
    ('xxxx x', 'x{2,}', 'y', {}),
    ('xxxx', 'x{,2}', 'y', {}),
    ('a{b', 'a{', 'c', {}),
    ('a{1}b{x}', '{x}', '!', {}),
    (']a[', '[]a]', 'x', {}),
    ('a]b', '[\\]]', 'x', {}),
    ('3 \u0663', '\\d', 'x', {}),
    ('xx xy', '(?P<a>x)(?P=a)', 'y', {}),
    ('foo food', '\\bfoo\\b', 'bar', {}),
    ('\u00c9t\u00e9', '\u00e9', 'e', {'ignorecase': True}),
    ('a\\b', '\\\\', '/', {}),
    ('hello world', '(\\w+) (\\w+)', '\\2 \\1', {}),
    ('a\nb', '\\n', ' ', {}),
    ('a\n\nb\n', '^', '#', {'multiline': True}),
    ('a\nb\n', '$', '!', {'multiline': True}),
    ('abc', '(?x) a  b # comment', 'X', {}),
    ('a b', '(?x) a [ ] b', 'X', {}),
    ('aB', '(?i:b)', 'X', {}),
    ('k: "v"', '"', "'", {}),
    ('path/to/file', '/', '\\\\', {}),
    ('x', 'x', '\\g<0>\\g<0>', {}),
    ('ab', '(?P<n>a)', '\\g<n>\\g<1>', {}),
    ('tab', 't', '\\t', {}),
    ('a.b', '\\.', '\\.', {}),
    ('1,2', ',', '\\,', {}),
    ('caf\u00e9 na\u00efve', '\\w+', 'W', {}),
    ('a_b-c', '\\W', '.', {}),
    ('A1 b2', '[\\w]', '.', {}),
    ('x\u00a0y', '\\s', '_', {}),
    ('😀x', '.', 'o', {}),
    ('abc', '[a-b]+', '-', {}),
    ('v1.2.3-rc1', '^v?(\\d+\\.\\d+\\.\\d+).*$', '\\1', {}),
    ('ServerName old', '^(ServerName)\\s+.*$', '\\1 new', {}),
    ('a\u2028b', '$', '!', {'multiline': True}),
    ('a\rb', '^b', 'X', {'multiline': True}),
    ('aaa', 'a*?', '-', {}),
    ('abxd', 'x*', '-', {}),
]:
    F(RX, 'regex_replace', v, p, r, **kw)
F(RX, 'regex_search', 'x ${HOME} y', '\\$\\{(\\w+)\\}', '\\1')
F(RX, 'regex_search', 'a\nb', '(?s)a.b')
F(RX, 'regex_search', 'a\nb', 'a.b')
F(RX, 'regex_search', 'version 1.22.3 installed', '(\\d+)\\.(\\d+)\\.(\\d+)', '\\3', '\\g<1>')
F(RX, 'regex_search', 'uid=0(root)', 'uid=(?P<uid>\\d+)', '\\g<uid>')
F(RX, 'regex_search', 'xyz', '(a)?(x)', '\\1', '\\2')
F(RX, 'regex_search', 'abc', '(?P<x>b)', '\\g<y>')
F(RX, 'regex_search', 'abc', '(b)', '\\2')
F(RX, 'regex_findall', 'mail a@b.com and c@d.com', '\\b\\w+@\\w+\\.com\\b')
F(RX, 'regex_findall', 'AB ab', '(?i)ab')
F(RX, 'regex_findall', 'a1 b2 c', '([a-z])(\\d)?')
F(RX, 'regex_findall', 'one\ntwo', '^\\w+$', True)
F(RX, 'regex_findall', 'x', '(')
T('match', 'abc', '(?i)A')
T('search', 'a\nb', '^b$', multiline=True)
T('regex', 'a b', '(?x) a \\  b')

for v in ['10M', '1.5 GB', '2K', '512', ' 3 kb', '1Mb', 'x', '10 bytes', '1.5', '', 12, '.5K', '7 Kilo']:
    F(X, 'human_to_bytes', v)
F(X, 'human_to_bytes', '1Mb', isbits=True)
F(X, 'human_to_bytes', '1MB', isbits=True)
F(X, 'human_to_bytes', 10, 'M')
F(X, 'human_to_bytes', '2', 'K')
for v in [0, 1, 1023, 1024, 1536, 10 ** 9, 2 ** 40 * 3, 0.5, 'x']:
    F(X, 'human_readable', v)
F(X, 'human_readable', 1048576, unit='K')
F(X, 'human_readable', 1048576, True)
F(X, 'human_readable', 1048576, isbits=True, unit='G')
for v in ['<a href="x">Tom & \'Jerry\'</a>', 12, None]:
    F(X, 'escape', v)
    F(X, 'e', v)
    F(X, 'forceescape', v)

F(S, 'string', ['\xa0', '\u200b', '\u2028', '\u00e9', '\U0001F600', '\x7f', '\x85', '\ue000', '\u3000', 'a\\b', '\x00'])
F(S, 'string', {'k\u00e9': ['\t', "'\"", '\r\n']})

F(L, 'map', ['a', '', None], 'default', 'x')
F(L, 'map', ['a', '', None], 'default', 'x', True)
F(L, 'map', ['a', '', None], 'd', 'x', boolean=True)
F(L, 'map', ['a'], 'mandatory')
