# SPDX-License-Identifier: GPL-2.0-only
#
# Sphinx configuration for gring's documentation (make docs). The API
# sections come from the sources' kernel-doc comments through the kernel's
# own kernel-doc extension and script, taken from Debian's linux-source by
# tools/docs, which passes their directory as GRING_KERNELDOC_DIR.
import os
import sys

kerneldoc_dir = os.environ.get("GRING_KERNELDOC_DIR")
if not kerneldoc_dir:
    sys.exit("conf.py: GRING_KERNELDOC_DIR is not set: run 'make docs' (tools/docs)")
sys.path.insert(0, os.path.join(kerneldoc_dir, "Documentation", "sphinx"))

project = "gring"
copyright = "the gring developers"
author = "the gring developers"
version = release = os.environ.get("GRING_VERSION", "")

extensions = ["kerneldoc"]
kerneldoc_bin = os.path.join(kerneldoc_dir, "scripts", "kernel-doc")
kerneldoc_srctree = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

# The C domain: kernel types and attributes are not C to Sphinx.
c_id_attributes = ["__iomem", "__user", "__must_check", "__always_inline"]
primary_domain = "c"
highlight_language = "none"

master_doc = "index"
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_theme_options = {"nosidebar": False}
html_static_path = []
