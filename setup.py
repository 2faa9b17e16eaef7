"""For `scrapyd-deploy`, which builds its egg with `python setup.py bdist_egg`: everything
(packages, package data such as the site registry, the scrapy settings entry point) comes from
pyproject.toml. Without this file scrapyd-deploy writes its own, which leaves the data out."""

from setuptools import setup

setup()
