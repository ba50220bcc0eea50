"""The mutation core (tests/fuzz/mutate.py) under the suite's rule that a warning is an error."""

import io
import zipfile

from tests.fuzz.mutate import rezip, zip_members


def test_a_member_added_again_under_the_same_name_is_written_without_a_warning():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("META-INF/", b"")
    members = zip_members(buffer.getvalue())
    members.append((zipfile.ZipInfo("META-INF/".upper()), b""))

    names = [info.filename for info in zipfile.ZipFile(io.BytesIO(rezip(members))).infolist()]

    assert names == ["META-INF/", "META-INF/"]
