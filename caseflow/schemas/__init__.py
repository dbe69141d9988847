"""marshmallow schemas: *Args for input, *Schema for output."""
