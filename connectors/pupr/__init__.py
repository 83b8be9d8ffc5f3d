"""PUPR housing (RTLH / BSPS) connector."""
