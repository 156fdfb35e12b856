from themescan.cli import app

app(prog_name="themescan")
