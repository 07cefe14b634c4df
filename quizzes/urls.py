from quizzes.views import attempts, evaluations

app_name = "quizzes"

urlpatterns = attempts.urlpatterns + evaluations.urlpatterns
