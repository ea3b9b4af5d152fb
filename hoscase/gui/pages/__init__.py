"""The pages of the main window: each a QWidget(ctx) with refresh()."""
