from decimal import Decimal

from django.db import migrations


def missing_coordinates_from_packs(apps, schema_editor):
    """Give regions without capital coordinates those their country pack now ships (the
    Peru pack added Chachapoyas); coordinates someone entered or loaded stay as they are."""
    from amparo.catalog import available_packs, read_pack_file

    region_model = apps.get_model("territory", "Region")
    step = Decimal("0.00001")
    for pack in available_packs():
        for entry in read_pack_file(pack, "territory")["regions"]:
            found = entry.get("capital_coordinates")
            if not found:
                continue
            region_model.objects.filter(code=entry["code"], capital_latitude=None).update(
                capital_latitude=Decimal(str(found["latitude"])).quantize(step),
                capital_longitude=Decimal(str(found["longitude"])).quantize(step),
                coordinates_source=found["source"],
                coordinates_verified=bool(found.get("verified", False)),
            )


class Migration(migrations.Migration):
    dependencies = [("territory", "0004_region_capital_coordinates")]

    operations = [migrations.RunPython(missing_coordinates_from_packs, migrations.RunPython.noop)]
