"""English dates as the UN writes them, day first: 7 December 2026 (Django's are US style).

The other five languages keep Django's formats for their locale (2026年12月7日 in Chinese);
templates name a format (`DATE_FORMAT`), never spell one out.
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
