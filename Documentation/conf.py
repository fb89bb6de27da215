# SPDX-License-Identifier: GPL-2.0
#
# Sphinx configuration of the dmaxfer documentation (make docs, which runs
# scripts/docs.sh). The API reference is not written by hand: the pages pull
# the kernel-doc comments of the sources in with the kernel's own "kernel-doc"
# directive (Documentation/sphinx/kerneldoc.py of the Linux 6.12 source), so
# that the HTML and the comments cannot drift apart.
#
# scripts/docs.sh passes the kernel source tree (scripts/lib.sh's ksrc_dir)
# in DMAXFER_KSRC; there is no fallback, so that a build never silently
# uses some other kernel's kernel-doc.

import os
import sys

ksrc = os.environ.get('DMAXFER_KSRC')
if not ksrc or not os.path.isfile(os.path.join(ksrc, 'scripts', 'kernel-doc')):
    sys.exit('conf.py: set DMAXFER_KSRC to a Linux source tree '
             '(scripts/docs.sh does, from scripts/lib.sh ksrc_dir)')

# The kernel's extensions (kerneldoc.py imports kernellog.py from there).
sys.path.insert(0, os.path.join(ksrc, 'Documentation', 'sphinx'))

project = 'dmaxfer'
copyright = 'dmaxfer contributors'
author = 'dmaxfer maintainers'

extensions = ['kerneldoc']

# As in the kernel's conf.py: kernel-doc finds its script and resolves the
# directive's file argument against the source tree, here the project's top.
kerneldoc_bin = os.path.join(ksrc, 'scripts', 'kernel-doc')
kerneldoc_srctree = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))

# Sphinx >= 3.1's C parser rejects attribute macros in prototypes unless
# they are declared (the kernel's conf.py lists the same ones).
c_id_attributes = [
    '__user', '__iomem', '__force', '__must_check', '__maybe_unused',
    '__always_unused', '__printf', '__init', '__exit', '__cold',
    '__always_inline', 'noinline',
]

primary_domain = 'c'
highlight_language = 'none'

master_doc = 'index'
source_suffix = '.rst'
# The binding YAML is not a page; conf.py itself is not either.
exclude_patterns = ['devicetree']

html_theme = 'alabaster'
html_title = 'dmaxfer documentation'
html_show_sourcelink = False
# No static files of our own: an empty html_static_path avoids a warning.
html_static_path = []
