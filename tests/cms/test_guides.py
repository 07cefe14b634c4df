import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from cms.blocks import MethodMaterialBlock, ReportBlock, SymbolBlock
from tests.cms.factories import guidance_index, make_guide, make_resource

pytestmark = pytest.mark.django_db

STEPS = [
    {
        "title": "Förbered dig",
        "purpose": "<p>Tänk igenom din roll.</p>",
        "questions": ["Vad vet jag redan?"],
        "avoid": ["Att ta samtalet i affekt."],
    },
    {
        "title": "Lyssna",
        "purpose": "<p>Låt personen berätta.</p>",
        "questions": ["Vad gör att du tycker så?", "Var har du läst om det?"],
        "avoid": [],
    },
]


def test_guide_shows_its_steps_in_order_with_purpose_questions_and_what_to_avoid(client):
    guide = make_guide(steps=STEPS, intro="<p>Om samtal.</p>")
    html = client.get(guide.url).content.decode()
    assert html.index("Förbered dig") < html.index("Lyssna")
    for text in (
        "Tänk igenom din roll.",
        "Vad vet jag redan?",
        "Att ta samtalet i affekt.",
        "Var har du läst om det?",
        "Om samtal.",
    ):
        assert text in html
    assert "Steg 1" in html and "Steg 2" in html
    assert f'href="{guide.url}print/"' in html
    assert "data-print" in html and "Skriv ut" in html


def test_print_view_renders_the_guide_without_the_site_shell(client):
    guide = make_guide(steps=STEPS)
    response = client.get(guide.url + "print/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Förbered dig" in html and "Vad gör att du tycker så?" in html
    assert 'class="site-nav"' not in html and 'class="concern"' not in html
    assert html.count("<h1") == 1 and "<main" in html
    assert "Skriv ut" in html


def test_guidance_index_lists_its_guides_and_resources(client):
    make_guide(steps=STEPS, title="Samtalsguiden")
    make_resource(body=[], title="Metodmaterial")
    html = client.get(guidance_index().url).content.decode()
    assert "Samtalsguiden" in html and "Metodmaterial" in html


def test_resource_page_shows_every_kind_of_material(client):
    image = get_image_model().objects.create(title="Symbol", file=get_test_image_file())
    body = [
        {"type": "heading", "value": "Metodmaterial"},
        {
            "type": "method_material",
            "value": {
                "title": "Rutin vid oro",
                "description": "",
                "document": None,
                "url": "https://www.stockholm.se/",
            },
        },
        {
            "type": "symbols",
            "value": {
                "heading": "Symboler",
                "intro": "",
                "symbols": [
                    {
                        "image": image.pk,
                        "alt_text": "En grå ruta med siffrorna 00",
                        "name": "Sifferkod",
                        "explanation": "Kan vara en dold hänvisning.",
                    }
                ],
            },
        },
        {
            "type": "report",
            "value": {
                "title": "Lägesbild",
                "publisher": "Säkerhetspolisen",
                "year": 2026,
                "description": "",
                "document": None,
                "url": "https://www.sakerhetspolisen.se/",
            },
        },
        {
            "type": "book",
            "value": {
                "title": "En bok",
                "creator": "En författare",
                "description": "Om demokrati.",
                "url": "",
            },
        },
        {
            "type": "podcast",
            "value": {
                "title": "En podd",
                "creator": "En redaktion",
                "description": "",
                "url": "https://polisen.se/",
            },
        },
        {
            "type": "links",
            "value": {
                "heading": "Länkar",
                "links": [{"title": "Polisen", "url": "https://polisen.se/", "description": ""}],
            },
        },
    ]
    page = make_resource(body=body)
    html = client.get(page.url).content.decode()
    assert 'alt="En grå ruta med siffrorna 00"' in html
    for text in (
        "Rutin vid oro",
        "Sifferkod",
        "Lägesbild",
        "Säkerhetspolisen",
        "En bok",
        "En författare",
        "Boktips",
        "En podd",
        "Poddtips",
        'href="https://polisen.se/"',
    ):
        assert text in html


def test_a_symbol_needs_alt_text():
    block = SymbolBlock()
    image = get_image_model().objects.create(title="Symbol", file=get_test_image_file())
    value = block.to_python({"image": image.pk, "alt_text": "", "name": "Kod", "explanation": ""})
    with pytest.raises(ValidationError):
        block.clean(value)
    ok = block.to_python({"image": image.pk, "alt_text": "Grå ruta", "name": "Kod"})
    assert block.clean(ok)["alt_text"] == "Grå ruta"


@pytest.mark.parametrize("block_class", [MethodMaterialBlock, ReportBlock])
def test_material_and_reports_need_a_document_or_a_web_address(block_class):
    block = block_class()
    value = block.to_python({"title": "Något", "document": None, "url": ""})
    with pytest.raises(StructBlockValidationError):
        block.clean(value)
    assert block.clean(block.to_python({"title": "Något", "url": "https://polisen.se/"}))
