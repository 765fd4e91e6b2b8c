"""Reads an HTML page with python3's html.parser and prints what a test checks, as one JSON object:
errors (tags closed that were not open, or left open), the element ids, the links (href values) and the
checkbox filters (data-verdict of the inputs).

Usage: check_html.py FILE
"""
import json
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.errors = []
        self.ids = []
        self.links = []
        self.filters = []
        self.doctype = False

    def handle_decl(self, decl):
        self.doctype = self.doctype or decl.lower() == "doctype html"

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "a" and "href" in attributes:
            self.links.append(attributes["href"])
        if tag == "input" and "data-verdict" in attributes:
            self.filters.append(attributes["data-verdict"])
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> at {self.getpos()} closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()


checker = Checker()
with open(sys.argv[1], encoding="utf-8") as page:
    checker.feed(page.read())
checker.close()
errors = checker.errors + [f"<{tag}> at {position} never closed" for tag, position in checker.stack]
if not checker.doctype:
    errors.append("no <!DOCTYPE html>")
print(json.dumps({"errors": errors, "ids": checker.ids, "links": checker.links, "filters": checker.filters}))
