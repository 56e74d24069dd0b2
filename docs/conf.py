"""Sphinx configuration: numpydoc, autosummary, sphinx-gallery, MyST pages,
the pydata theme, and intersphinx links that need no network at build time.

Build with ``make docs`` from the repository root (warnings are errors).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import skattention  # noqa: E402
from _inventories import write_inventories  # noqa: E402

project = "skattention"
author = "the skattention developers"
copyright = "2026, the skattention developers"
release = skattention.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
    # formulas drawn by matplotlib's mathtext at build time: the pages show
    # them without MathJax from a CDN, also offline
    "matplotlib.sphinxext.mathmpl",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "**.ipynb_checkpoints", "gen_modules/backreferences/*.examples.new"]
templates_path = ["_templates"]
html_static_path = ["_static"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
suppress_warnings = ["myst.xref_missing"] if os.environ.get("SKATTENTION_DOCS_LOOSE") else []

# ------------------------------------------------------------------ API pages
autosummary_generate = True
autodoc_default_options = {"members": True}
autodoc_typehints = "none"  # numpydoc renders the types from the docstrings
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
add_module_names = False
default_role = "literal"

# ------------------------------------------------------------------ theme
html_theme = "pydata_sphinx_theme"
html_title = f"skattention {release}"
html_theme_options = {
    "navbar_end": ["navbar-icon-links"],
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
    "secondary_sidebar_items": ["page-toc", "sourcelink"],
}
html_sidebars = {"index": [], "data": []}
html_css_files = ["custom.css"]

# ------------------------------------------------------------------ gallery
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"demo\.py",
    "doc_module": ("skattention",),
    "backreferences_dir": "gen_modules/backreferences",
    "within_subsection_order": "FileNameSortKey",
    "remove_config_comments": True,
    "download_all_examples": False,
    "matplotlib_animations": False,
    "show_memory": False,
    "abort_on_example_error": True,
    "min_reported_time": 1,
}

# ------------------------------------------------------------------ intersphinx
# The build machine has no network, so the inventories are written from lists
# of the objects these pages mention (each name is imported first, so a typo
# fails the build) and the links point at the projects' published pages.
intersphinx_mapping = write_inventories(HERE / "_build" / "inventories")


def _skip_metadata_requests(app, what, name, obj, skip, options):
    """Leave out the ``set_*_request`` methods that scikit-learn's metadata
    routing adds to every estimator (scikit-learn's own pages leave them out
    of the class summaries too)."""
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_metadata_requests)

# formulas: matplotlib mathtext, sized to the body text, sharp on HiDPI screens
mathmpl_fontsize = 13.0
mathmpl_srcset = ["2x"]
