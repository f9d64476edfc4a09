"""Bringing collections in from spreadsheets: cases, organizations, events, participations
and focal point invitations, from the admin (django-import-export) and from `import_data`.

Every row is written by the service that writes it elsewhere; a sheet is saved whole or not
at all.
"""
