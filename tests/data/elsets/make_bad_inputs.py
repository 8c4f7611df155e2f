#!/usr/bin/python3
"""make_bad_inputs.py: writes the bad-input catalogue tests/data/elsets/bad/
and its MANIFEST.csv (file, expected status, line, column, field, a piece of
the expected message; column -1 means "not checked", used where jansson
reports the position of a JSON syntax error by its own rules).  Each file holds one defect in otherwise valid data
taken from the real 2026-06-24 CelesTrak Starlink snapshot and OMM files
(data/tle/, /work/shared/data/).  Checksums are recomputed unless the defect
is the checksum itself.  tests/test_elements.c loads every file with
orb_catalog_load and checks all columns of the manifest.

Run from the repository root: /usr/bin/python3 tests/data/elsets/make_bad_inputs.py
"""
import csv
import os
import re

OUT = 'tests/data/elsets/bad'
NAME = 'STARLINK-1008'
L1 = '1 44714U 19074B   26174.88577602  .00061014  00000+0  10374-2 0  9992'
L2 = '2 44714  53.1523  36.6365 0001936 172.4425 187.6614 15.50879183365255'
GOOD = [  # three more real records, to put defects after good ones
    ('STARLINK-1012',
     '1 44718U 19074F   26175.20287399  .00054696  00000+0  92007-3 0  9996',
     '2 44718  53.1564  35.3756 0001985 186.2108 173.8878 15.51227047365299'),
]
CSV_HEADER = ('OBJECT_NAME,OBJECT_ID,EPOCH,MEAN_MOTION,ECCENTRICITY,INCLINATION,'
              'RA_OF_ASC_NODE,ARG_OF_PERICENTER,MEAN_ANOMALY,EPHEMERIS_TYPE,'
              'CLASSIFICATION_TYPE,NORAD_CAT_ID,ELEMENT_SET_NO,REV_AT_EPOCH,BSTAR,'
              'MEAN_MOTION_DOT,MEAN_MOTION_DDOT')
CSV_ROWS = [
    'STARLINK-1008,2019-074B,2026-06-20T09:43:48.440064,15.50487193,.000211,53.1521,'
    '53.3154,147.6682,212.4457,0,U,44714,999,36471,.97291E-3,.56365E-3,0',
    'STARLINK-1012,2019-074F,2026-06-20T06:31:55.945920,15.50775749,.0002091,53.1559,'
    '54.2188,158.1531,201.9568,0,U,44718,999,36468,.89045E-3,.52054E-3,0',
]
JSON_REC = ('{"OBJECT_NAME":"STARLINK-1008","OBJECT_ID":"2019-074B",'
            '"EPOCH":"2026-09-20T10:48:51.349248","MEAN_MOTION":15.65058989,'
            '"ECCENTRICITY":0.00023938,"INCLINATION":53.1478,"RA_OF_ASC_NODE":327.2457,'
            '"ARG_OF_PERICENTER":69.1515,"MEAN_ANOMALY":290.9757,"EPHEMERIS_TYPE":0,'
            '"CLASSIFICATION_TYPE":"U","NORAD_CAT_ID":44714,"ELEMENT_SET_NO":999,'
            '"REV_AT_EPOCH":37906,"BSTAR":0.00030957272,"MEAN_MOTION_DOT":0.00030609,'
            '"MEAN_MOTION_DDOT":0}')


def col(text, piece):
    """1-based column where piece starts in text (rows and records sit on
    lines of their own, so this is the column in the file)."""
    return text.index(piece) + 1


def checksum(line):
    return sum(int(c) if c.isdigit() else (c == '-') for c in line[:68]) % 10


def fix(line):
    """Recomputes column 69 of a 69-column line."""
    return line[:68] + str(checksum(line))


def put(line, col, text, fix_sum=True):
    """Writes text at 1-based column col."""
    s = line[:col - 1] + text + line[col - 1 + len(text):]
    return fix(s) if fix_sum else s


def tle(*records):
    return ''.join(f'{n}\n{a}\n{b}\n' for n, a, b in records)


def json_with(key, value_text, records=2):
    """A JSON array of `records` copies of JSON_REC, the last with key's
    value replaced by value_text (written as is)."""
    bad = re.sub(f'"{key}":[^,]*,', f'"{key}":{value_text},', JSON_REC, count=1)
    return '[\n' + ',\n'.join([JSON_REC] * (records - 1) + [bad]) + '\n]\n'


def cases():
    good = tle(*GOOD)
    c = []
    # file, content, code, line, column, field, message piece
    c.append(('empty.tle', '', 'ORB_EEMPTY', 0, 0, '', 'no element sets'))
    c.append(('blank_lines.tle', '\n\n   \r\n\t\n', 'ORB_EEMPTY', 0, 0, '',
              'only blank lines'))
    c.append(('binary.tle', bytes(range(256)) * 4, 'ORB_ESYNTAX', 1, 0, '',
              'binary file'))
    c.append(('truncated_line1.tle', tle((NAME, L1[:45], L2)), 'ORB_ESYNTAX', 2,
              44, 'line length', 'truncated: 43 characters'))  # blanks at 44-45 trimmed
    c.append(('truncated_line2.tle', good + tle((NAME, L1, L2[:60])),
              'ORB_ESYNTAX', 6, 61, 'line length', 'line 2 is truncated'))
    c.append(('missing_line2.tle', good + f'{NAME}\n{L1}\n', 'ORB_ESYNTAX', 5, 1,
              '', 'ends after line 1'))
    c.append(('wrong_checksum.tle', good + tle((NAME, L1, put(L2, 69, '6', False))),
              'ORB_ECHECKSUM', 6, 69, 'checksum', 'column 69 holds 6'))
    c.append(('letters_eccentricity.tle', good + tle((NAME, L1, put(L2, 27, '00x1936'))),
              'ORB_ESYNTAX', 6, 27, 'eccentricity',
              'expected 7 digits (implied leading decimal point), found "00x1936"'))
    c.append(('letters_mean_motion.tle', tle((NAME, L1, put(L2, 53, '15.5O879183'))),
              'ORB_ESYNTAX', 3, 53, 'mean motion', 'found "15.5O879183"'))
    c.append(('letters_bstar.tle', tle((NAME, put(L1, 54, ' 1O374-2'), L2)),
              'ORB_ESYNTAX', 2, 54, 'bstar', 'found " 1O374-2"'))
    c.append(('letters_epoch.tle', tle((NAME, put(L1, 21, '174.8857760l'), L2)),
              'ORB_ESYNTAX', 2, 21, 'epoch day', 'found "174.8857760l"'))
    c.append(('letters_catnum.tle', tle((NAME, put(L1, 3, '4471x'), put(L2, 3, '4471x'))),
              'ORB_ESYNTAX', 2, 3, 'catalogue number', 'Alpha-5'))
    c.append(('alpha5_letter_I.tle', tle((NAME, put(L1, 3, 'I4714'), put(L2, 3, 'I4714'))),
              'ORB_ESYNTAX', 2, 3, 'catalogue number', 'other than I and O'))
    c.append(('inclination_190.tle', tle((NAME, L1, put(L2, 9, '190.0000'))),
              'ORB_ERANGE', 3, 9, 'inclination', '190 is outside [0, 180]'))
    c.append(('raan_360.tle', tle((NAME, L1, put(L2, 18, '360.0000'))),
              'ORB_ERANGE', 3, 18, 'right ascension of ascending node',
              'outside [0, 360)'))
    c.append(('mean_motion_zero.tle', tle((NAME, L1, put(L2, 53, ' 0.00000000'))),
              'ORB_ERANGE', 3, 53, 'mean motion', 'outside (0, inf)'))
    c.append(('epoch_day_zero.tle', tle((NAME, put(L1, 21, '000.88577602'), L2)),
              'ORB_ERANGE', 2, 21, 'epoch day', 'outside [1, 367)'))
    c.append(('catnum_mismatch.tle', good + tle((NAME, L1, put(L2, 3, '44715'))),
              'ORB_ESYNTAX', 6, 3, 'catalogue number',
              'line 2 has catalogue number 44715 but line 1 (line 5) has 44714'))
    c.append(('line2_first.tle', good + f'{NAME}\n{L2}\n{L1}\n', 'ORB_ESYNTAX', 5, 1,
              '', 'expected line 1 of an element set'))
    c.append(('line2_without_line1.tle', good + f'{L2}\n', 'ORB_ESYNTAX', 4, 1, '',
              'before line 2'))
    c.append(('missing_separator.tle', tle((NAME, L1, put(L2, 17, '7'))),
              'ORB_ESYNTAX', 3, 17, 'separator', 'a blank between fields'))
    c.append(('trailing_garbage.tle', tle((NAME, L1, L2 + 'XYZ')), 'ORB_ESYNTAX', 3, 70,
              'line length', '72 characters long'))
    c.append(('name_at_end.tle', good + 'STARLINK-9999\n', 'ORB_ESYNTAX', 4, 1, '',
              'ends after a name line'))
    c.append(('bad_classification.tle', tle((NAME, put(L1, 8, 'X'), L2)),
              'ORB_ESYNTAX', 2, 8, 'classification', 'U, C or S'))
    # OMM CSV
    hdr_no_mm = CSV_HEADER.replace('MEAN_MOTION,', '', 1)
    row_no_mm = CSV_ROWS[0].replace(',15.50487193', '', 1)
    c.append(('csv_missing_column.csv', f'{hdr_no_mm}\n{row_no_mm}\n', 'ORB_ESYNTAX',
              1, 0, 'MEAN_MOTION', 'required column MEAN_MOTION is missing'))
    c.append(('csv_eccentricity_1.2.csv',
              f'{CSV_HEADER}\n{CSV_ROWS[0]}\n' + CSV_ROWS[1].replace('.0002091', '1.2'),
              'ORB_ERANGE', 3, col(CSV_ROWS[1], '.0002091'), 'ECCENTRICITY', '1.2 is outside [0, 1)'))
    c.append(('csv_inclination_190.csv',
              f'{CSV_HEADER}\n' + CSV_ROWS[0].replace('53.1521', '190'),
              'ORB_ERANGE', 2, col(CSV_ROWS[0], '53.1521'), 'INCLINATION', '190 is outside [0, 180]'))
    c.append(('csv_nan.csv', f'{CSV_HEADER}\n' + CSV_ROWS[0].replace('53.1521', 'NaN'),
              'ORB_ESYNTAX', 2, col(CSV_ROWS[0], '53.1521'), 'INCLINATION', 'expected a finite number, found "NaN"'))
    c.append(('csv_inf.csv', f'{CSV_HEADER}\n' + CSV_ROWS[0].replace('.97291E-3', 'inf'),
              'ORB_ESYNTAX', 2, col(CSV_ROWS[0], '.97291E-3'), 'BSTAR', 'found "inf"'))
    c.append(('csv_overflow.csv', f'{CSV_HEADER}\n' + CSV_ROWS[0].replace('.97291E-3', '1e999'),
              'ORB_ERANGE', 2, col(CSV_ROWS[0], '.97291E-3'), 'BSTAR', 'too large'))
    c.append(('csv_short_row.csv', f'{CSV_HEADER}\n' + CSV_ROWS[0].rsplit(',', 2)[0],
              'ORB_ESYNTAX', 2, 1, '', 'row has 15 cells but the header has 17'))
    c.append(('csv_bad_epoch.csv',
              f'{CSV_HEADER}\n' + CSV_ROWS[0].replace('2026-06-20T09', '2026-13-20T09'),
              'ORB_ERANGE', 2, col(CSV_ROWS[0], '2026-06-20T09'), 'EPOCH', 'expected a UTC time'))
    c.append(('csv_norad_zero.csv', f'{CSV_HEADER}\n' + CSV_ROWS[0].replace(',44714,', ',0,'),
              'ORB_ERANGE', 2, col(CSV_ROWS[0], ',44714,') + 1, 'NORAD_CAT_ID', 'outside [1, 999999]'))
    c.append(('csv_header_only.csv', f'{CSV_HEADER}\n', 'ORB_EEMPTY', 1, 0, '',
              'not followed by any record'))
    # OMM JSON
    c.append(('json_malformed.json', '[\n' + JSON_REC + ',\n' + JSON_REC[:-1] + '\n]\n',
              'ORB_ESYNTAX', 4, -1, '', 'malformed JSON'))
    c.append(('json_truncated.json', '[\n' + JSON_REC + ',\n' + JSON_REC[:200],
              'ORB_ESYNTAX', 3, -1, '', 'malformed JSON'))
    c.append(('json_eccentricity_1.2.json', json_with('ECCENTRICITY', '1.2'),
              'ORB_ERANGE', 3, col(JSON_REC, '"ECCENTRICITY"'), 'ECCENTRICITY', 'record 2: 1.2 is outside [0, 1)'))
    c.append(('json_nan_string.json', json_with('INCLINATION', '"NaN"'),
              'ORB_ESYNTAX', 3, col(JSON_REC, '"INCLINATION"'), 'INCLINATION', 'record 2: expected a finite number'))
    c.append(('json_nan_literal.json', json_with('INCLINATION', 'NaN'),
              'ORB_ESYNTAX', 3, -1, '', 'malformed JSON'))
    c.append(('json_infinity_string.json', json_with('BSTAR', '"Infinity"'),
              'ORB_ESYNTAX', 3, col(JSON_REC, '"BSTAR"'), 'BSTAR', 'expected a finite number'))
    c.append(('json_missing_key.json',
              '[\n' + JSON_REC.replace('"MEAN_MOTION":15.65058989,', '') + '\n]\n',
              'ORB_ESYNTAX', 2, 1, 'MEAN_MOTION', 'record 1: required key MEAN_MOTION is missing'))
    c.append(('json_wrong_type.json', json_with('MEAN_MOTION', 'true', 1),
              'ORB_ESYNTAX', 2, col(JSON_REC, '"MEAN_MOTION"'), 'MEAN_MOTION', 'expected a number'))
    c.append(('json_norad_too_big.json', json_with('NORAD_CAT_ID', '1000000', 3),
              'ORB_ERANGE', 4, col(JSON_REC, '"NORAD_CAT_ID"'), 'NORAD_CAT_ID', 'record 3: 1000000 is outside [1, 999999]'))
    c.append(('json_empty_array.json', '[ ]\n', 'ORB_EEMPTY', 1, 0, '', 'no OMM records'))
    c.append(('json_not_objects.json', '[\n' + JSON_REC + ',\n  2\n]\n', 'ORB_ESYNTAX',
              3, 3, '', 'record 2: expected an object'))
    return c


def main():
    with open(os.path.join(OUT, 'MANIFEST.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['file', 'code', 'line', 'column', 'field', 'message'])
        for name, content, code, line, col, field, msg in cases():
            data = content if isinstance(content, bytes) else content.encode()
            with open(os.path.join(OUT, name), 'wb') as g:
                g.write(data)
            w.writerow([name, code, line, col, field, msg])
    print(len(cases()), 'bad inputs written to', OUT)


if __name__ == '__main__':
    main()
