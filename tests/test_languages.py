"""Telling another language from Python in the candidate's entry file."""

from __future__ import annotations

import pytest

from interviewer._languages import foreign_language

FOREIGN = {
    "C++": ("#include <vector>\nclass DB {\npublic:\n"
            "  std::string get(int k) { return \"\"; }\n};\n"),
    "Java": ("public class Database {\n  private Map<String, String> rows = new HashMap<>();\n"
             "  public String get(String key) { return rows.get(key); }\n}\n"),
    "JavaScript": ("class Database {\n  constructor() { this.rows = new Map(); }\n"
                   "  get(key) { return this.rows.get(key) ?? null; }\n}\n"
                   "module.exports = { Database };\n"),
    "TypeScript": ("interface Row { key: string; }\n"
                   "export function get(row: Row): string { return row.key; }\n"),
    "Go": "package main\n\nfunc Get(key string) string {\n  v := rows[key]\n  return v\n}\n",
    "Rust": ("use std::collections::HashMap;\nfn get(rows: &HashMap<String, String>) {\n"
             "  let mut n = 1;\n}\n"),
    "C#": ("using System;\nnamespace Db {\n"
           "  class Program { void Run() { Console.WriteLine(1); } }\n}\n"),
}

PYTHON = {
    "plain": "def count(words):\n    return len(words)\n",
    "half-typed": "class DB:\n    def get(self, key:\n        return self.rows.get(key)\n",
    "mentions C++ in a comment": "# a std::vector would be faster\ndef f(x):\n    return x\n",
    "a stray triple equals": "def f(x):\n    if x === 1:\n        return {x}\n",
    "empty": "",
    "braces in a dict": "ROWS = {\n    'a': 1;\n}\n",
}


@pytest.mark.parametrize("language", sorted(FOREIGN))
def test_other_languages_are_named(language):
    assert foreign_language(FOREIGN[language]) == language


@pytest.mark.parametrize("name", sorted(PYTHON))
def test_python_even_broken_python_is_never_called_foreign(name):
    assert foreign_language(PYTHON[name]) == ""


def test_every_starter_in_the_bank_is_python(bank):
    for question in bank:
        source = (question.folder / question.starter).read_text(encoding="utf-8")
        assert foreign_language(source) == "", question.id
