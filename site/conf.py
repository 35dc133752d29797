"""Sphinx configuration of the series' static site (built by tools/build_site.py, `make site`).

The site is made from the notebooks' stored outputs: MyST-NB reads them and
never starts a kernel. Everything a page needs is shipped with it (theme
scripts, icons, MathJax when a page has math); see CONTRIBUTING.md for why
this tool chain was chosen.
"""

import sys
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(SITE_DIR / "_ext"))

project = "embedpool"
author = "the embedpool authors"
copyright = "the embedpool authors, MIT licence"
language = "en"

extensions = ["myst_nb", "embedpool_site"]

# Stored outputs only: a build never runs a notebook.
nb_execution_mode = "off"
# The explorers need a kernel; the build replaces their outputs with a note
# (tools/build_site.py), so no widget manager is loaded from anywhere.
nb_ipywidgets_js = {}
# Consecutive chunks of one stream show as one block, as in JupyterLab.
nb_merge_streams = True
# Math as JupyterLab shows it ($…$, $$…$$); MathJax then comes with the site.
myst_enable_extensions = ["dollarmath"]
# Markdown links to a section resolve, written as JupyterLab names its headings
# (`[…](02_output_tensor.ipynb#1.-A-batch-of-sentences)`: spaces become "-", case
# and punctuation stay), so that one link works in JupyterLab and here; MyST also
# writes that id onto the heading, and a fragment that names no heading fails the build.
myst_heading_anchors = 3
myst_heading_slug_func = "embedpool_site.jupyterlab_heading_id"

templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["embedpool.css"]
html_title = "embedpool"
html_theme = "pydata_sphinx_theme"
# One colour scheme, the one the accessibility audit checks: no theme switcher.
html_context = {"default_mode": "light"}
html_theme_options = {
    "navbar_center": [],
    "navbar_end": [],
    "navbar_persistent": ["search-button-labelled"],
    "article_header_end": ["launch-binder"],
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_center": [],
    "footer_end": [],
    "show_prev_next": True,
    # Highlighting with WCAG AA contrast on the theme's light background.
    "pygments_light_style": "a11y-high-contrast-light",
    "pygments_dark_style": "a11y-high-contrast-light",
}
# The whole series in the left column on every page, in reading order.
html_sidebars = {"**": ["series-nav"]}
html_copy_source = False
html_show_sourcelink = False
html_show_sphinx = False
# No general index page: the series has no index entries, so it would be empty.
html_use_index = False
# Served locally: MathJax is copied into _static/ only when a page has math.
mathjax_path = "mathjax/tex-chtml.js"
