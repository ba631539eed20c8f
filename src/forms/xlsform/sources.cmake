# forms/xlsform: XLSX/XLS reading, XLSForm parsing, XForm writing (fill in the lists).
