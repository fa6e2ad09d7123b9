"""dev.py mutate: which mutants a path or a name asks for."""
import dev


def test_a_path_asks_for_every_mutant_of_its_module_and_a_name_for_itself():
    assert dev.mutant_pattern("models/rules.py") == "models.rules.*"
    assert dev.mutant_pattern("models/reports/common.py") == "models.reports.common.*"
    assert dev.mutant_pattern("bot/dispatcher.py") == "bot.dispatcher.*"
    assert dev.mutant_pattern("models/reports/") == "models.reports.*"
    one_function = "models.register_write.x__update__mutmut_*"
    assert dev.mutant_pattern(one_function) == one_function
    assert dev.mutant_pattern("models.rules.x_age_in_months__mutmut_3") == "models.rules.x_age_in_months__mutmut_3"
