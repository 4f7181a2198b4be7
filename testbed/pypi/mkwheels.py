#!/usr/bin/python3
"""Build the stand-in package index (PEP 503 "simple" layout).

Usage: mkwheels.py DIST_PACKAGES DDTRACE_SRC OUT
  DIST_PACKAGES  usr/lib/python3/dist-packages extracted from Debian's python3-* .debs
  DDTRACE_SRC    testbed/pypi/ddtrace-src (the STAND-IN ddtrace)
  OUT            gets packages/*.whl and simple/<project>/index.html
Each Debian module dir + its *.egg-info / *.dist-info is repacked as a py3-none-any wheel
(WHEEL, METADATA, RECORD with sha256). Compiled speedups are dropped (pure-python fallbacks).
"""
import base64
import email.parser
import hashlib
import html
import os
import re
import sys
import zipfile

# Debian's egg-info drops install_requires (dh-python); restore the upstream ones for these versions.
UPSTREAM_REQUIRES = {
    ("flask", "2.2.2"): ["Werkzeug>=2.2.2", "Jinja2>=3.0", "itsdangerous>=2.0", "click>=8.0",
                         'importlib-metadata>=3.6.0; python_version < "3.10"'],
    ("werkzeug", "2.2.2"): ["MarkupSafe>=2.1.1"],
    ("jinja2", "3.1.2"): ["MarkupSafe>=2.0"],
    ("click", "8.1.3"): ['colorama; platform_system == "Windows"', 'importlib-metadata; python_version < "3.8"'],
}
DDTRACE_VERSION = "4.14.0+standin"
DDTRACE_SUMMARY = "STAND-IN for offline tests; not Datadog's ddtrace"


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_name(name):
    return re.sub(r"[-_.]+", "_", name).lower()


def requires_from_egg(text):
    """requires.txt -> Requires-Dist values (sections become markers / extras)."""
    out, extras, section = [], [], None
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        m = re.match(r"^\[(.*)\]$", line)
        if m:
            section = m.group(1)
            extra, _, marker = section.partition(":")
            if extra and extra not in extras:
                extras.append(extra)
            continue
        markers = []
        if section:
            extra, _, marker = section.partition(":")
            if marker:
                markers.append("(%s)" % marker if extra else marker)
            if extra:
                markers.append('extra == "%s"' % extra)
        out.append(line + ("; " + " and ".join(markers) if markers else ""))
    return out, extras


def metadata_from_info(info_dir):
    """(name, version, METADATA text, entry_points text or None, top-level names)."""
    files = set(os.listdir(info_dir))
    meta_file = "METADATA" if "METADATA" in files else "PKG-INFO"
    with open(os.path.join(info_dir, meta_file), encoding="utf-8") as f:
        raw = f.read()
    msg = email.parser.Parser().parsestr(raw)
    name, version = msg["Name"], msg["Version"]
    requires = list(msg.get_all("Requires-Dist") or [])
    extras = list(msg.get_all("Provides-Extra") or [])
    if "requires.txt" in files:
        with open(os.path.join(info_dir, "requires.txt"), encoding="utf-8") as f:
            r, e = requires_from_egg(f.read())
        requires += [x for x in r if x not in requires]
        extras += [x for x in e if x not in extras]
    upstream = UPSTREAM_REQUIRES.get((norm(name), version), [])
    requires = [r for r in upstream if r not in requires] + requires
    head, _, body = raw.partition("\n\n")
    keep = [l for l in head.splitlines()
            if not re.match(r"^(Metadata-Version|Requires-Dist|Provides-Extra):", l)]
    lines = ["Metadata-Version: 2.1"] + keep
    lines += ["Provides-Extra: %s" % e for e in extras] + ["Requires-Dist: %s" % r for r in requires]
    meta = "\n".join(lines) + "\n\n" + body
    ep = None
    if "entry_points.txt" in files:
        with open(os.path.join(info_dir, "entry_points.txt"), encoding="utf-8") as f:
            ep = f.read()
    top = [wheel_name(name)]
    if "top_level.txt" in files:
        with open(os.path.join(info_dir, "top_level.txt"), encoding="utf-8") as f:
            top = [t.strip() for t in f if t.strip()]
    return name, version, meta, ep, top


def _record_line(arcname, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d" % (arcname, digest, len(data))


def write_wheel(out_dir, name, version, meta, entry_points, payload):
    """payload: [(arcname, bytes)]. Returns the wheel path."""
    dist = "%s-%s.dist-info" % (wheel_name(name), version)
    files = list(payload)
    files.append((dist + "/METADATA", meta.encode("utf-8")))
    files.append((dist + "/WHEEL", b"Wheel-Version: 1.0\nGenerator: play-standin-mkwheels\n"
                  b"Root-Is-Purelib: true\nTag: py3-none-any\n"))
    if entry_points:
        files.append((dist + "/entry_points.txt", entry_points.encode("utf-8")))
    record = [_record_line(a, d) for a, d in files] + [dist + "/RECORD,,"]
    files.append((dist + "/RECORD", ("\n".join(record) + "\n").encode("utf-8")))
    path = os.path.join(out_dir, "%s-%s-py3-none-any.whl" % (wheel_name(name), version))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for arc, data in files:
            info = zipfile.ZipInfo(arc, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return path


def collect_tree(root, top):
    """[(arcname, bytes)] for module dir or single-file module `top` under root (no caches/.so)."""
    out = []
    if os.path.isfile(os.path.join(root, top + ".py")):
        with open(os.path.join(root, top + ".py"), "rb") as f:
            return [(top + ".py", f.read())]
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for fn in sorted(filenames):
            if fn.endswith((".so", ".pyc", ".c")):
                continue
            full = os.path.join(dirpath, fn)
            if not os.path.exists(full):
                continue  # Debian symlinks to files of other packages (e.g. libjs-jquery)
            with open(full, "rb") as f:
                out.append((os.path.relpath(full, root).replace(os.sep, "/"), f.read()))
    return out


def build_debian_wheels(dist_packages, out_dir):
    built = []
    for entry in sorted(os.listdir(dist_packages)):
        if not entry.endswith((".egg-info", ".dist-info")):
            continue
        name, version, meta, ep, top = metadata_from_info(os.path.join(dist_packages, entry))
        payload = []
        for t in top:
            payload += collect_tree(dist_packages, t)
        built.append((name, write_wheel(out_dir, name, version, meta, ep, payload)))
    return built


def build_ddtrace(src, out_dir):
    meta = ("Metadata-Version: 2.1\nName: ddtrace\nVersion: %s\nSummary: %s\n"
            "Home-page: https://github.com/DataDog/dd-trace-py\nLicense: Apache-2.0 OR BSD-3-Clause\n"
            "Requires-Python: >=3.8\n\n%s\n") % (DDTRACE_VERSION, DDTRACE_SUMMARY,
                                                 "Offline stand-in: `ddtrace-run` traces Flask requests and sends "
                                                 "JSON spans to the local trace agent. Not Datadog's ddtrace.")
    ep = "[console_scripts]\nddtrace-run = ddtrace.commands.ddtrace_run:main\n"
    return [("ddtrace", write_wheel(out_dir, "ddtrace", DDTRACE_VERSION, meta, ep, collect_tree(src, "ddtrace")))]


def write_index(out, built):
    simple = os.path.join(out, "simple")
    projects = {}
    for name, path in built:
        projects.setdefault(norm(name), []).append(path)
    for proj, paths in sorted(projects.items()):
        os.makedirs(os.path.join(simple, proj), exist_ok=True)
        links = []
        for p in sorted(paths):
            with open(p, "rb") as f:
                sha = hashlib.sha256(f.read()).hexdigest()
            fn = os.path.basename(p)
            href = "../../packages/%s#sha256=%s" % (fn.replace("+", "%2B"), sha)
            links.append('    <a href="%s">%s</a><br/>' % (html.escape(href), html.escape(fn)))
        with open(os.path.join(simple, proj, "index.html"), "w") as f:
            f.write("<!DOCTYPE html>\n<html><head><meta name=\"pypi:repository-version\" content=\"1.0\">"
                    "<title>Links for %s</title></head><body>\n<h1>Links for %s</h1>\n%s\n</body></html>\n"
                    % (proj, proj, "\n".join(links)))
    with open(os.path.join(simple, "index.html"), "w") as f:
        f.write("<!DOCTYPE html>\n<html><head><title>Simple index (STAND-IN for offline tests)</title></head><body>\n"
                + "\n".join('  <a href="%s/">%s</a><br/>' % (p, p) for p in sorted(projects)) + "\n</body></html>\n")


def main(argv):
    dist_packages, ddtrace_src, out = argv
    packages = os.path.join(out, "packages")
    os.makedirs(packages, exist_ok=True)
    built = build_debian_wheels(dist_packages, packages) + build_ddtrace(ddtrace_src, packages)
    write_index(out, built)
    for name, path in built:
        print("%s %s" % (name, os.path.basename(path)))


if __name__ == "__main__":
    main(sys.argv[1:])
