"""The FastAPI app, the browser UI and the CLI: where everything is assembled."""
