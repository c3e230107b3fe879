"""Marketing Workbench: parameterised marketing research notebooks, published as versioned HTML."""

__version__ = "0.1.0"
