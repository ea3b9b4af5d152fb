"""Reports from the records: the annual complaints performance and service improvement report, the governing
body's quarterly update, the spreadsheet of figures and the Ombudsman submission reminder. No Qt here."""
