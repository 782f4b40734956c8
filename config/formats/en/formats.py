"""English dates as the pages always wrote them ("January 5, 2026"); Spanish
ones come from Django's own locale formats ("5 de enero de 2026")."""

DATE_FORMAT = "F j, Y"
DATETIME_FORMAT = "F j, Y, g:i a"
MONTH_DAY_FORMAT = "M j"
