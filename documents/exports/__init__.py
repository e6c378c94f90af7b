"""Writers for exported data: CSV (wide and long) and CLOVA-shaped JSON, all streamed in chunks."""
