"""Flask's hello-world: the yardstick bench/http_bench.py measures caseflow against."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
