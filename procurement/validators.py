from django.core.exceptions import ValidationError

from procurement.french import file_size, size_over


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def with_luhn_key(body: str) -> str:
    """`body` followed by the one digit that makes the whole number pass the Luhn check (demo and test SIRETs)."""
    return next(body + last for last in "0123456789" if luhn_is_valid(body + last))


def normalise_company_number(value: str) -> str:
    """A SIRET or SIREN as people write it ("732 829 320 00074", "732.829.320", with no-break spaces) -> its
    digits. The one normalisation of the platform: forms, imports and commands all call it before validating."""
    return "".join(value.split()).replace(".", "")


# The most digits a database id is read from (a bigint has 19): int() of a longer text is work for nothing, and
# raises ValueError past 4,300 digits.
MAX_ID_DIGITS = 18


def is_ascii_digits(value: str) -> bool:
    """Only 0-9: str.isdigit() also accepts "７" or "²", which int() refuses or no register writes."""
    return value.isascii() and value.isdigit()


def validate_siren(value: str) -> None:
    if not (len(value) == 9 and is_ascii_digits(value)):
        raise ValidationError("Le SIREN doit comporter exactement 9 chiffres.")
    if not luhn_is_valid(value):
        raise ValidationError("Ce SIREN n'est pas valide\u00a0: vérifiez les 9 chiffres (clé de contrôle incorrecte).")


def is_valid_siret(value: str) -> bool:
    """The same check as `validate_siret`, as a boolean (a titulaire counts in the statistics only with one)."""
    try:
        validate_siret(value)
    except ValidationError:
        return False
    return True


def validate_siret(value: str) -> None:
    if not (len(value) == 14 and is_ascii_digits(value)):
        raise ValidationError("Le SIRET doit comporter exactement 14 chiffres.")
    # La Poste's establishments use a digit-sum rule instead of Luhn; only its head office (…00048) follows Luhn.
    if value.startswith("356000000"):
        if sum(int(c) for c in value) % 5 != 0 and not luhn_is_valid(value):
            raise ValidationError("Ce SIRET n'est pas valide : vérifiez les 14 chiffres.")
        return
    if not luhn_is_valid(value):
        raise ValidationError("Ce SIRET n'est pas valide : vérifiez les 14 chiffres (clé de contrôle incorrecte).")


# The buyer's logo, shown at the top of the PDFs (procurement.documents): PNG or JPEG, recognised by their first
# bytes (the file's name and declared type prove nothing), small enough to travel in every receipt.
LOGO_CONTENT_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
LOGO_MAX_BYTES = 1024 * 1024


def logo_content_type(data: bytes) -> str:
    """image/png or image/jpeg from the file's first bytes; empty for anything else."""
    return next((kind for magic, kind in LOGO_CONTENT_TYPES.items() if data.startswith(magic)), "")


def validate_logo(file) -> None:
    if file.size > LOGO_MAX_BYTES:
        raise ValidationError(
            f"Le logo pèse {size_over(file.size, LOGO_MAX_BYTES)}\u00a0; il doit peser {file_size(LOGO_MAX_BYTES)} "
            "au plus\u00a0: réduisez l'image et envoyez-la à nouveau."
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(8)
    file.seek(position)
    if not logo_content_type(head):
        raise ValidationError(
            "Le logo doit être une image PNG ou JPEG\u00a0: enregistrez-la dans l'un de ces formats."
        )
